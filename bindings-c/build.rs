//! Generates `include/instasent.h` (C, from `cbindgen.toml`) and `include/instasent_ffi.h`
//! (the same declarations without any preprocessor line: PHP's `FFI::cdef` rejects
//! `#include`, `#define` and include guards). Both are committed; CI regenerates them and fails
//! on a difference. cbindgen only rewrites a file whose content changed.

use std::path::PathBuf;

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");

    let config = cbindgen::Config::from_file(dir.join("cbindgen.toml")).expect("cbindgen.toml");
    let mut ffi = config.clone();
    ffi.header = Some(
        "/* libinstasent declarations for PHP FFI::cdef: generated from the same sources as \
         instasent.h, without preprocessor lines. Read instasent.h for the documentation. */"
            .to_string(),
    );
    ffi.include_guard = None;
    ffi.pragma_once = false;
    ffi.no_includes = true;
    ffi.sys_includes.clear();
    ffi.includes.clear();
    ffi.after_includes = None;
    ffi.cpp_compat = false;
    ffi.documentation = false;

    for (config, name) in [(config, "instasent.h"), (ffi, "instasent_ffi.h")] {
        cbindgen::Builder::new()
            .with_crate(&dir)
            .with_config(config)
            .generate()
            .expect("cbindgen could not read the crate")
            .write_to_file(dir.join("include").join(name));
    }
}
