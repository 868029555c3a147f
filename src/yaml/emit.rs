//! Safe wrapper over libyaml's emitter (`libyaml-rs`): events in, text out.
//!
//! go-yaml's emitter is a port of this one, so indentation, the choice
//! between plain/single/double/literal when the requested style is not
//! allowed, escaping, and line folding at the best width are Go's. The only
//! `unsafe` emitter code of the crate lives here. Which style to *request*
//! for a value is decided by the callers (`marshal`), never here.

use std::mem::MaybeUninit;
use std::ptr;

use libyaml_rs as sys;

use super::error::YamlError;
use super::parser::ScalarStyle;

/// One event to emit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum EmitEvent {
    DocumentStart,
    DocumentEnd,
    /// A scalar without an explicit tag (it resolves implicitly).
    Scalar {
        value: String,
        style: ScalarStyle,
    },
    SequenceStart {
        flow: bool,
    },
    SequenceEnd,
    MappingStart {
        flow: bool,
    },
    MappingEnd,
}

/// Emitter settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EmitterOptions {
    /// Preferred line width for folding long scalars; `None` means never fold.
    pub width: Option<i32>,
    /// Indentation step.
    pub indent: i32,
}

/// Emits one YAML stream made of `events` (stream start/end are implied).
pub(crate) fn emit(options: EmitterOptions, events: &[EmitEvent]) -> Result<String, YamlError> {
    let mut emitter = Emitter::new(options);
    emitter.send(RawEvent::StreamStart)?;
    for event in events {
        emitter.send(RawEvent::User(event))?;
    }
    emitter.send(RawEvent::StreamEnd)?;
    emitter.finish()
}

enum RawEvent<'event> {
    StreamStart,
    StreamEnd,
    User(&'event EmitEvent),
}

struct Emitter {
    // Boxed so the addresses libyaml keeps (the emitter, the output) never move.
    raw: Box<MaybeUninit<sys::yaml_emitter_t>>,
    #[allow(clippy::box_collection)] // libyaml holds a pointer to the Vec itself.
    output: Box<Vec<u8>>,
}

/// libyaml's write callback: appends to the `Vec<u8>` passed as `data`.
///
/// # Safety
/// `data` must point to the emitter's live output vector and `buffer` to `size` readable bytes.
unsafe fn append_output(data: *mut std::ffi::c_void, buffer: *mut u8, size: u64) -> i32 {
    // SAFETY: guaranteed by the caller (libyaml passes back what `Emitter::new` registered).
    unsafe {
        let output = &mut *data.cast::<Vec<u8>>();
        output.extend_from_slice(std::slice::from_raw_parts(buffer, size as usize));
    }
    1
}

impl Emitter {
    fn new(options: EmitterOptions) -> Self {
        let mut raw = Box::new(MaybeUninit::<sys::yaml_emitter_t>::uninit());
        let mut output = Box::new(Vec::new());
        // SAFETY: initialize zeroes and sets up the struct; the output vector
        // is boxed and lives as long as the emitter.
        unsafe {
            let emitter = raw.as_mut_ptr();
            if sys::yaml_emitter_initialize(emitter).fail {
                unreachable!("libyaml emitter initialization cannot fail without allocation failure");
            }
            sys::yaml_emitter_set_output(emitter, append_output, ptr::from_mut(output.as_mut()).cast());
            sys::yaml_emitter_set_unicode(emitter, true);
            sys::yaml_emitter_set_indent(emitter, options.indent);
            sys::yaml_emitter_set_width(emitter, options.width.unwrap_or(-1));
            sys::yaml_emitter_set_break(emitter, sys::YAML_LN_BREAK);
        }
        Emitter { raw, output }
    }

    fn send(&mut self, event: RawEvent<'_>) -> Result<(), YamlError> {
        let mut raw_event = MaybeUninit::<sys::yaml_event_t>::uninit();
        let event_ptr = raw_event.as_mut_ptr();
        // SAFETY: each initializer fills the event completely; libyaml copies
        // the value bytes, and yaml_emitter_emit takes ownership of the event
        // (it deletes it on success and on failure).
        unsafe {
            let initialized = match event {
                RawEvent::StreamStart => sys::yaml_stream_start_event_initialize(event_ptr, sys::YAML_UTF8_ENCODING),
                RawEvent::StreamEnd => sys::yaml_stream_end_event_initialize(event_ptr),
                RawEvent::User(EmitEvent::DocumentStart) => sys::yaml_document_start_event_initialize(
                    event_ptr,
                    ptr::null_mut(),
                    ptr::null_mut(),
                    ptr::null_mut(),
                    true,
                ),
                RawEvent::User(EmitEvent::DocumentEnd) => sys::yaml_document_end_event_initialize(event_ptr, true),
                RawEvent::User(EmitEvent::Scalar { value, style }) => {
                    let style = match *style {
                        ScalarStyle::Plain => sys::YAML_PLAIN_SCALAR_STYLE,
                        ScalarStyle::SingleQuoted => sys::YAML_SINGLE_QUOTED_SCALAR_STYLE,
                        ScalarStyle::DoubleQuoted => sys::YAML_DOUBLE_QUOTED_SCALAR_STYLE,
                        ScalarStyle::Literal => sys::YAML_LITERAL_SCALAR_STYLE,
                        ScalarStyle::Folded => sys::YAML_FOLDED_SCALAR_STYLE,
                    };
                    let length = i32::try_from(value.len()).map_err(|_| emitter_error("scalar longer than 2 GiB"))?;
                    // A non-null pointer even for "" (libyaml asserts non-null).
                    let bytes = if value.is_empty() { c"".as_ptr().cast() } else { value.as_ptr() };
                    sys::yaml_scalar_event_initialize(
                        event_ptr,
                        ptr::null(),
                        ptr::null(),
                        bytes,
                        length,
                        true,
                        true,
                        style,
                    )
                }
                RawEvent::User(&EmitEvent::SequenceStart { flow }) => sys::yaml_sequence_start_event_initialize(
                    event_ptr,
                    ptr::null(),
                    ptr::null(),
                    true,
                    if flow { sys::YAML_FLOW_SEQUENCE_STYLE } else { sys::YAML_BLOCK_SEQUENCE_STYLE },
                ),
                RawEvent::User(EmitEvent::SequenceEnd) => sys::yaml_sequence_end_event_initialize(event_ptr),
                RawEvent::User(&EmitEvent::MappingStart { flow }) => sys::yaml_mapping_start_event_initialize(
                    event_ptr,
                    ptr::null(),
                    ptr::null(),
                    true,
                    if flow { sys::YAML_FLOW_MAPPING_STYLE } else { sys::YAML_BLOCK_MAPPING_STYLE },
                ),
                RawEvent::User(EmitEvent::MappingEnd) => sys::yaml_mapping_end_event_initialize(event_ptr),
            };
            if initialized.fail {
                return Err(emitter_error("invalid event (text is not valid UTF-8)"));
            }
            if sys::yaml_emitter_emit(self.raw.as_mut_ptr(), event_ptr).fail {
                let problem = self.raw.assume_init_ref().problem;
                let message = if problem.is_null() {
                    "emitter failed".to_owned()
                } else {
                    std::ffi::CStr::from_ptr(problem.cast()).to_string_lossy().into_owned()
                };
                return Err(emitter_error(&message));
            }
        }
        Ok(())
    }

    fn finish(mut self) -> Result<String, YamlError> {
        // SAFETY: flushing an initialized emitter.
        unsafe {
            if sys::yaml_emitter_flush(self.raw.as_mut_ptr()).fail {
                return Err(emitter_error("could not flush output"));
            }
        }
        let bytes = std::mem::take(self.output.as_mut());
        String::from_utf8(bytes).map_err(|_| emitter_error("emitter produced invalid UTF-8"))
    }
}

impl Drop for Emitter {
    fn drop(&mut self) {
        // SAFETY: initialized in `new`, deleted exactly once here.
        unsafe { sys::yaml_emitter_delete(self.raw.as_mut_ptr()) }
    }
}

fn emitter_error(problem: &str) -> YamlError {
    YamlError::Invalid { line: 0, column: 0, message: format!("cannot write YAML: {problem}") }
}
