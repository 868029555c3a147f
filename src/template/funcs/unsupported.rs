//! Functions Helm exposes that driftctl does not implement: key and
//! certificate generation, password hashing, AES and DNS. They are
//! registered so templates parse as they do in Helm; calling one fails with
//! a message that names the function and what to do. All of them produce
//! output that changes between runs (or depends on the clock or network).

use super::{Param, Registry};

/// Names of the functions listed in the README as not supported.
pub(crate) const UNSUPPORTED: &[&str] = &[
    "buildCustomCert",
    "genCA",
    "genCAWithKey",
    "genPrivateKey",
    "genSelfSignedCert",
    "genSelfSignedCertWithKey",
    "genSignedCert",
    "genSignedCertWithKey",
];

pub(super) fn register(r: &mut Registry) {
    for name in UNSUPPORTED {
        r.add_random(name, &[], Some(Param::Any), |_, _| {
            Err("this function is not supported by driftctl's template engine (see the README's list); \
                 render the chart with helm to compare its output"
                .into())
        });
    }
}
