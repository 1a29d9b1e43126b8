//! Generates `include/instasent.h` (C, from `cbindgen.toml`) and `include/instasent_ffi.h`
//! (the same declarations without any preprocessor line: PHP's `FFI::cdef` rejects
//! `#include`, `#define` and include guards). Both are committed; CI regenerates them and fails
//! on a difference. cbindgen only rewrites a file whose content changed.
//!
//! On Linux it also gives `libinstasent.so` the SONAME `libinstasent.so.0`, so programs linked
//! against it load the ABI version they were built for (CMake installs
//! `libinstasent.so.0.1.0` with the `.so.0` and `.so` links), and puts a `libinstasent.so.0`
//! link beside cargo's output, so a program linked with `-L target/release -linstasent` finds it
//! there too.

use std::path::{Path, PathBuf};

/// The major version of the C ABI: the `N` of the SONAME `libinstasent.so.N`.
const SOVERSION: &str = "0";

fn main() {
    let dir = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=cbindgen.toml");

    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        let soname = format!("libinstasent.so.{SOVERSION}");
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{soname}");
        soname_link(&soname);
    }

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
    // Constants are `#define`s, which FFI::cdef cannot read; PHP asks instasent_version().
    ffi.export
        .item_types
        .retain(|t| *t != cbindgen::ItemType::Constants);

    for (config, name) in [(config, "instasent.h"), (ffi, "instasent_ffi.h")] {
        cbindgen::Builder::new()
            .with_crate(&dir)
            .with_config(config)
            .generate()
            .expect("cbindgen could not read the crate")
            .write_to_file(dir.join("include").join(name));
    }
}

/// `<profile dir>/libinstasent.so.N -> libinstasent.so`, next to the library cargo writes there
/// (the link may exist before the library does). The profile dir is found from OUT_DIR
/// (`<profile dir>/build/<pkg>-<hash>/out`); if that layout ever differs, only a warning.
#[cfg(unix)]
fn soname_link(soname: &str) {
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it"));
    let profile = out
        .ancestors()
        .nth(3)
        .filter(|_| out.ancestors().nth(2).and_then(Path::file_name) == Some("build".as_ref()));
    let Some(profile) = profile else {
        println!(
            "cargo:warning=no {soname} link made: OUT_DIR {} is not <dir>/build/<pkg>/out",
            out.display()
        );
        return;
    };
    let link = profile.join(soname);
    let target = Path::new("libinstasent.so");
    if std::fs::read_link(&link).is_ok_and(|t| t == target) {
        return;
    }
    let _ = std::fs::remove_file(&link);
    if let Err(e) = std::os::unix::fs::symlink(target, &link) {
        println!(
            "cargo:warning=cannot link {} to libinstasent.so: {e}",
            link.display()
        );
    }
}

#[cfg(not(unix))]
fn soname_link(_soname: &str) {}
