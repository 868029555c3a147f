//! Helm release storage: the last-applied leg of every object a Helm release
//! (installed by `helm` or Flux's helm-controller) manages, and the desired
//! state of a release audited straight from the cluster.

mod flux;
mod manifest;
mod release;
mod storage;

pub use flux::{FLUX_HELM_GROUP, applied_by, read_flux_helm_releases};
pub use manifest::{
    HELM_MANAGED_BY, RELEASE_NAME_ANNOTATION, RELEASE_NAMESPACE_ANNOTATION, installed_form, release_objects,
};
pub use release::{Release, ReleaseDecodeError, decode_release};
pub use storage::{RELEASE_SECRET_TYPE, ReleaseHistory, ReleaseRecord, read_releases};
