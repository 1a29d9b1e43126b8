//! Segment analysis and smart encoding (`instasent::encoding`).

use std::ffi::c_char;

use instasent::encoding::{self, AnalyzeOptions, Encoding, ShiftTable};

use crate::abi::{self, arg_str, guard, guard_string, opt_str};
use crate::error::{c_string, instasent_code, instasent_error, Failure};

/// The data coding a text travels in (3GPP TS 23.038).
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum instasent_encoding {
    /// GSM 7-bit default alphabet (with its extension table): 160 / 153 units per segment.
    INSTASENT_ENCODING_GSM7 = 0,
    /// UCS-2 (UTF-16 code units): 70 / 67 units per segment.
    INSTASENT_ENCODING_UCS2 = 1,
}

/// What a text costs as an SMS. Owned by the caller: free it with
/// `instasent_segment_info_free` (which frees every string and `parts`).
#[allow(non_camel_case_types)]
#[repr(C)]
pub struct instasent_segment_info {
    pub encoding: instasent_encoding,
    /// "GSM-7" or "UCS-2": a static string, valid for the life of the process.
    pub encoding_name: *const c_char,
    /// Short messages the text travels in (an empty text still makes one).
    pub segments: usize,
    /// Septets for GSM-7 (an extension character counts 2), UTF-16 code units for UCS-2.
    pub units: usize,
    /// Number of entries in `parts`.
    pub parts_count: usize,
    /// The text of each segment, in order; their concatenation is `text`. An escape pair or a
    /// surrogate pair is never split.
    pub parts: *mut *mut c_char,
    /// The text as it travels (after smart encoding when that applied).
    pub text: *mut c_char,
    /// The whole analysis as camelCase JSON (unicodeChars, partUnits, capacities, ...).
    pub json: *mut c_char,
}

/// Analyses `text` as it would be sent. With `smart`, look-alike characters are replaced by
/// GSM-7 ones when that makes the message cheaper (never when it would cost more). `*out`: free
/// with `instasent_segment_info_free`.
#[no_mangle]
pub unsafe extern "C" fn instasent_segments(
    text: *const c_char,
    smart: bool,
    out: *mut *mut instasent_segment_info,
    err: *mut *mut instasent_error,
) -> instasent_code {
    unsafe { instasent_segments_with_shift(text, smart, std::ptr::null(), out, err) }
}

/// As `instasent_segments`, also allowing the national shift tables (3GPP TS 23.038 Annex A)
/// of `shift_table`: "spanish", "portuguese" or "turkish" (NULL: none). They are used only
/// when they save segments or make the text encodable. Another name is
/// INSTASENT_INVALID_ARGUMENT.
#[no_mangle]
pub unsafe extern "C" fn instasent_segments_with_shift(
    text: *const c_char,
    smart: bool,
    shift_table: *const c_char,
    out: *mut *mut instasent_segment_info,
    err: *mut *mut instasent_error,
) -> instasent_code {
    guard(out, err, || {
        let text = unsafe { arg_str(text, "text") }?;
        let shift_table = match unsafe { opt_str(shift_table, "shift_table") }? {
            None => None,
            Some(name) => Some(
                serde_json::from_value::<ShiftTable>(serde_json::Value::String(name.into()))
                    .map_err(|_| {
                        Failure::from(instasent::Error::invalid_argument(format!(
                            "unknown shift table {name:?}: use \"spanish\", \"portuguese\" or \"turkish\""
                        )))
                    })?,
            ),
        };
        let a = encoding::analyze(
            text,
            &AnalyzeOptions::default()
                .smart(smart)
                .shift_table(shift_table),
        );
        let json = crate::error::to_json(&a, "the analysis")?;
        let parts: Box<[*mut c_char]> = a.parts.iter().map(|p| c_string(p.as_str())).collect();
        let parts_count = parts.len();
        let (encoding, name): (_, &'static [u8]) = match a.encoding {
            Encoding::Gsm7 => (instasent_encoding::INSTASENT_ENCODING_GSM7, b"GSM-7\0"),
            Encoding::Ucs2 => (instasent_encoding::INSTASENT_ENCODING_UCS2, b"UCS-2\0"),
        };
        Ok(Box::new(instasent_segment_info {
            encoding,
            encoding_name: name.as_ptr().cast(),
            segments: a.segments,
            units: a.units,
            parts_count,
            parts: Box::into_raw(parts).cast(),
            text: c_string(a.text),
            json: c_string(json),
        }))
    })
}

/// Frees a segment analysis, its parts and strings. Accepts NULL.
#[no_mangle]
pub unsafe extern "C" fn instasent_segment_info_free(info: *mut instasent_segment_info) {
    abi::free_quietly(|| {
        if info.is_null() {
            return;
        }
        // SAFETY: made by Box::into_raw in `instasent_segments`; `parts` is a boxed slice of
        // `parts_count` CStrings; each is freed once.
        let info = unsafe { Box::from_raw(info) };
        let parts = unsafe {
            Box::from_raw(std::ptr::slice_from_raw_parts_mut(
                info.parts,
                info.parts_count,
            ))
        };
        for p in parts.iter() {
            unsafe { abi::drop_c_string(*p) };
        }
        unsafe {
            abi::drop_c_string(info.text);
            abi::drop_c_string(info.json);
        }
    })
}

/// `text` as smart encoding would send it: look-alikes replaced only when that makes the
/// message cheaper, unchanged otherwise. `*out`: free with `instasent_string_free`.
#[no_mangle]
pub unsafe extern "C" fn instasent_smart_encode(
    text: *const c_char,
    out: *mut *mut c_char,
    err: *mut *mut instasent_error,
) -> instasent_code {
    guard_string(out, err, || {
        Ok(encoding::smart_encode(unsafe { arg_str(text, "text") }?))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::{CStr, CString};

    #[test]
    fn parts_round_trip_and_free() {
        let text = CString::new("ж".repeat(71)).unwrap();
        let mut info = std::ptr::null_mut();
        let code =
            unsafe { instasent_segments(text.as_ptr(), false, &mut info, std::ptr::null_mut()) };
        assert_eq!(code, instasent_code::INSTASENT_OK);
        let i = unsafe { &*info };
        assert_eq!(i.encoding, instasent_encoding::INSTASENT_ENCODING_UCS2);
        assert_eq!(i.segments, 2);
        let joined: String = (0..i.parts_count)
            .map(|k| {
                unsafe { CStr::from_ptr(*i.parts.add(k)) }
                    .to_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(joined, "ж".repeat(71));
        unsafe { instasent_segment_info_free(info) };
    }
}
