//! The credentials the client holds (webhook codes, OAuth access tokens): the same
//! never-printed type as the credentials received in event payloads.

pub(crate) use crate::values::SecretText as Secret;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_printed() {
        let secret = Secret::new("s3cr3t-value");
        assert_eq!(format!("{secret}"), "***");
        assert_eq!(format!("{secret:?}"), "***");
        assert_eq!(format!("{secret:#?}"), "***");
        assert_eq!(secret.expose(), "s3cr3t-value");
    }
}
