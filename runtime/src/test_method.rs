//! A method written by hand in the shape the generator emits, for the runtime's own unit
//! tests: the runtime names no generated method, so its tests bring their own. It mirrors
//! `log.blogpost.share` (not safe to repeat, errors with empty codes, a pattern row).

use std::fmt;

use serde::Serialize;

use crate::error::ErrorMeta;
use crate::matching::field;
use crate::method::{ErrorRows, Method, MethodError};

/// `log.blogpost.share`'s request: a post and its new recipients.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Share {
    #[serde(rename = "POST_ID")]
    pub(crate) post_id: i64,
    #[serde(rename = "DEST")]
    pub(crate) dest: Vec<String>,
}

impl Share {
    pub(crate) fn new(post_id: i64, dest: &[&str]) -> Share {
        Share {
            post_id,
            dest: dest.iter().map(|code| (*code).to_owned()).collect(),
        }
    }
}

impl Method for Share {
    const NAME: &'static str = "log.blogpost.share";
    const SAFE_TO_REPEAT: bool = false;
    const BATCH: bool = true;
    type Output = bool;
    type Error = ShareError;
}

/// Four of share's rows: empty codes, an older server's codes, and a pattern with a field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ShareError {
    WrongPostId(ErrorMeta),
    WrongDestinations(ErrorMeta),
    NoReadPermission(ErrorMeta),
    NoPermissionToShareAsUser { user_id: i64, meta: ErrorMeta },
    Unhandled(ErrorMeta),
}

impl ErrorRows for ShareError {
    fn error_table() -> &'static str {
        r#"[
{"variant":"WrongPostId","forms":[{"codes":["","ERROR_ARGUMENT"],"exact":"Wrong post ID"}]},
{"variant":"WrongDestinations","forms":[{"codes":["","ERROR_ARGUMENT"],"exact":"Wrong destinations"}]},
{"variant":"NoReadPermission","forms":[{"codes":["","403"],"exact":"No read perms"}]},
{"variant":"NoPermissionToShareAsUser","forms":[{"codes":["","403"],"pattern":["No permissions to share by this user (ID =",")"],"fields":[0]}]}
]"#
    }

    fn from_row(variant: &str, fields: &[String], meta: ErrorMeta) -> Result<Self, ErrorMeta> {
        Ok(match variant {
            "WrongPostId" => Self::WrongPostId(meta),
            "WrongDestinations" => Self::WrongDestinations(meta),
            "NoReadPermission" => Self::NoReadPermission(meta),
            "NoPermissionToShareAsUser" => {
                let Some(user_id) = field::<i64>(fields, 0) else {
                    return Err(meta);
                };
                Self::NoPermissionToShareAsUser { user_id, meta }
            }
            _ => return Err(meta),
        })
    }
}

impl MethodError for ShareError {
    fn unhandled(meta: ErrorMeta) -> Self {
        Self::Unhandled(meta)
    }

    fn parts(&self) -> (&'static str, &ErrorMeta) {
        match self {
            Self::WrongPostId(meta) => ("WrongPostId", meta),
            Self::WrongDestinations(meta) => ("WrongDestinations", meta),
            Self::NoReadPermission(meta) => ("NoReadPermission", meta),
            Self::NoPermissionToShareAsUser { meta, .. } => ("NoPermissionToShareAsUser", meta),
            Self::Unhandled(meta) => ("Unhandled", meta),
        }
    }
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.variant_name(), self.meta())
    }
}

impl std::error::Error for ShareError {}

/// A portal that knows no method, for the mock portal in the runtime's own tests: every
/// answer a test needs is scripted.
#[cfg(feature = "mock")]
pub(crate) struct NoSpecs;

#[cfg(feature = "mock")]
impl crate::spec_data::SpecSource for NoSpecs {
    type Client = crate::client::Client;

    fn spec_data() -> &'static [(&'static str, &'static str)] {
        &[]
    }
}
