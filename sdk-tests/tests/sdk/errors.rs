//! The generated error enums print and compare as derived `Debug` and `PartialEq` would
//! (they are written out to keep the crate quick to compile).

use b24_rest::log::BlogpostShareError;
use b24_rest::{ErrorMeta, MethodError};

fn meta(code: &str, text: &str) -> ErrorMeta {
    ErrorMeta::new(400, code, text)
}

#[test]
fn debug_is_what_a_derive_prints() {
    let raw = meta("", "Wrong post ID");
    let error = BlogpostShareError::WrongPostId(raw.clone());
    assert_eq!(format!("{error:?}"), format!("WrongPostId({raw:?})"));

    let raw = meta("", "No permissions to share by this user (ID =15)");
    let error = BlogpostShareError::from_meta(raw.clone());
    assert_eq!(
        format!("{error:?}"),
        format!("NoPermissionToShareAsUser {{ user_id: 15, meta: {raw:?} }}")
    );
    let unhandled = BlogpostShareError::from_meta(meta("ODD", "odd"));
    assert!(format!("{unhandled:?}").starts_with("Unhandled(ErrorMeta {"));
}

#[test]
fn equality_is_the_variant_and_everything_it_holds() {
    let raw = meta("", "Wrong post ID");
    assert_eq!(
        BlogpostShareError::WrongPostId(raw.clone()),
        BlogpostShareError::WrongPostId(raw.clone())
    );
    // Same raw error, another variant: not equal.
    assert_ne!(
        BlogpostShareError::WrongPostId(raw.clone()),
        BlogpostShareError::WrongDestinations(raw.clone())
    );
    assert_ne!(
        BlogpostShareError::WrongPostId(raw),
        BlogpostShareError::WrongPostId(meta("", "Wrong destinations"))
    );
    // A variant with fields compares its fields too, not only the raw error.
    let raw = meta("", "No permissions to share by this user (ID =15)");
    let decoded = BlogpostShareError::from_meta(raw.clone());
    let same = BlogpostShareError::from_meta(raw.clone());
    assert_eq!(decoded, same);
    let BlogpostShareError::NoPermissionToShareAsUser { meta: kept, .. } = &decoded else {
        panic!("{decoded:?}");
    };
    assert_eq!(kept, &raw);
}
