//! Fuzz target: the spec loader and the generator take any file, as a method spec beside the
//! workspace's shared specs and as each kind of shared spec, and give generated files or
//! located errors, without panicking.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use b24_codegen::{generate, load_files};
use libfuzzer_sys::fuzz_target;

/// The workspace's shared specs (`spec/shared/`), read once.
fn shared() -> &'static [(String, Vec<u8>)] {
    static SHARED: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    SHARED.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let mut files = Vec::new();
        let mut pending = vec![root.join("spec/shared")];
        while let Some(dir) = pending.pop() {
            for entry in std::fs::read_dir(&dir).expect("spec/shared is readable") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    pending.push(path);
                } else if path.extension().is_some_and(|ext| ext == "yaml") {
                    let relative = path.strip_prefix(&root).expect("inside the root");
                    let relative = relative.to_string_lossy().replace('\\', "/");
                    files.push((relative, std::fs::read(&path).expect("readable")));
                }
            }
        }
        files
    })
}

fn check(files: Vec<(String, Vec<u8>)>) {
    match load_files(files).and_then(|specs| generate(&specs)) {
        Ok(generated) => assert!(!generated.is_empty()),
        Err(errors) => {
            assert!(!errors.is_empty());
            for error in errors {
                assert!(error.line >= 1 && error.column >= 1, "{error}");
                let _ = error.to_string();
            }
        }
    }
}

fuzz_target!(|input: &[u8]| {
    let mut files = shared().to_vec();
    files.push(("spec/zz/zz.fuzz.yaml".to_owned(), input.to_vec()));
    check(files);
    for slot in [
        "spec/shared/grammars/Fuzz.yaml",
        "spec/shared/objects/Fuzz.yaml",
        "spec/shared/enums/Fuzz.yaml",
        "spec/zz/events/Fuzz.yaml",
    ] {
        check(vec![(slot.to_owned(), input.to_vec())]);
    }
});
