//! The library's version, for a program built against one header (or the PHP package, which
//! loads whatever library it finds) to tell that it loaded a library it matches.

use std::ffi::c_char;

/// The version of the header this program was compiled with; compare with instasent_version().
pub const INSTASENT_VERSION_MAJOR: i32 = 0;
/// See ::INSTASENT_VERSION_MAJOR.
pub const INSTASENT_VERSION_MINOR: i32 = 1;
/// See ::INSTASENT_VERSION_MAJOR.
pub const INSTASENT_VERSION_PATCH: i32 = 0;

/// The loaded library's version, `"MAJOR.MINOR.PATCH"`. A static string: never free it.
#[no_mangle]
pub extern "C" fn instasent_version() -> *const c_char {
    concat!(env!("CARGO_PKG_VERSION"), "\0").as_ptr().cast()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_constants_are_the_crate_version() {
        let at = |i: usize| {
            env!("CARGO_PKG_VERSION")
                .split('.')
                .nth(i)
                .unwrap()
                .parse::<i32>()
        };
        assert_eq!(
            (
                INSTASENT_VERSION_MAJOR,
                INSTASENT_VERSION_MINOR,
                INSTASENT_VERSION_PATCH
            ),
            (at(0).unwrap(), at(1).unwrap(), at(2).unwrap())
        );
        let loaded = unsafe { std::ffi::CStr::from_ptr(instasent_version()) };
        assert_eq!(loaded.to_str().unwrap(), env!("CARGO_PKG_VERSION"));
    }
}
