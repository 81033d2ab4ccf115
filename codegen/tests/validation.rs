//! Bad specs: each fault is reported once, with file, line:column, key path and a message
//! that says what to fix.

use b24_codegen::{SpecError, generate, load_files};

const DESTINATION: &str = "\
grammar: Destination
summary: A recipient.
forms:
  - prefix: SG
    name: Group
    value: id
    description: Group `X`.
  - prefix: U
    name: User
    value: id
    description: User `X`.
  - prefix: UA
    name: AllUsers
    value: none
    description: Everybody.
";

const SHARE: &str = "\
method: log.blogpost.share
scope: log
title: Share
summary: Adds recipients.
access: Author.
safe_to_repeat: false
batch: true
params:
  - name: POST_ID
    type: integer
    required: true
    description: The post.
  - name: DEST
    type: Destination[]
    required: true
    description: Recipients.
result:
  type: boolean
  description: Whether it worked.
errors:
  - name: WrongPostId
    status: 400
    description: Wrong post ID
    meaning: Bad id.
";

/// Runs the generator on the base specs with `path` replaced by (or added as) `text`.
fn generate_with(path: &str, text: &str) -> Result<(), Vec<SpecError>> {
    let mut files = vec![
        (
            "spec/shared/grammars/Destination.yaml".to_owned(),
            DESTINATION.as_bytes().to_vec(),
        ),
        (
            "spec/log/log.blogpost.share.yaml".to_owned(),
            SHARE.as_bytes().to_vec(),
        ),
    ];
    files.retain(|(p, _)| p != path);
    files.push((path.to_owned(), text.as_bytes().to_vec()));
    let specs = load_files(files)?;
    generate(&specs).map(|_| ())
}

/// The single error the change causes, as printed.
fn only_error(path: &str, text: &str) -> String {
    match generate_with(path, text) {
        Ok(()) => panic!("the spec was accepted"),
        Err(errors) => {
            assert_eq!(errors.len(), 1, "expected one error, got {errors:#?}");
            errors[0].to_string()
        }
    }
}

fn share_with(from: &str, to: &str) -> String {
    assert!(
        SHARE.contains(from),
        "test bug: `{from}` not in the base spec"
    );
    SHARE.replacen(from, to, 1)
}

#[test]
fn the_base_specs_are_valid() {
    generate_with("spec/log/log.blogpost.share.yaml", SHARE).expect("valid");
}

#[test]
fn duplicate_parameter_is_located() {
    let text = share_with("  - name: DEST\n", "  - name: POST_ID\n");
    assert_eq!(
        only_error("spec/log/log.blogpost.share.yaml", &text),
        "spec/log/log.blogpost.share.yaml:13:5: params[1].name: duplicate parameter `POST_ID` (first at params[0].name)"
    );
}

#[test]
fn names_colliding_after_case_conversion_are_reported() {
    let text = share_with("  - name: DEST\n", "  - name: PostId\n");
    let error = only_error("spec/log/log.blogpost.share.yaml", &text);
    assert!(error.contains("params[1].name"), "{error}");
    assert!(error.contains("becomes the Rust name `post_id`"), "{error}");
}

#[test]
fn dangling_type_reference_suggests_the_close_name() {
    let text = share_with("type: Destination[]", "type: Destinaton[]");
    let error = only_error("spec/log/log.blogpost.share.yaml", &text);
    assert!(
        error.starts_with(
            "spec/log/log.blogpost.share.yaml:14:5: params[1].type: unknown type `Destinaton`"
        ),
        "{error}"
    );
    assert!(error.contains("did you mean `Destination`?"), "{error}");
}

#[test]
fn duplicate_error_rows_are_reported() {
    let text = format!(
        "{SHARE}  - name: WrongPostId\n    status: 400\n    description: Other\n    meaning: Other.\n"
    );
    let error = only_error("spec/log/log.blogpost.share.yaml", &text);
    assert!(
        error.contains("errors[1].name: duplicate error name `WrongPostId`"),
        "{error}"
    );
}

#[test]
fn unreachable_error_row_is_reported() {
    let text = format!(
        "{SHARE}  - name: AlsoWrong\n    status: 400\n    description: Wrong post ID\n    meaning: Other.\n"
    );
    let error = only_error("spec/log/log.blogpost.share.yaml", &text);
    assert!(
        error.contains(
            "errors[1]: the same code and description already identify the error at errors[0]"
        ),
        "{error}"
    );
}

#[test]
fn invalid_variant_name_is_reported() {
    let text = share_with("name: WrongPostId", "name: wrong-post-id");
    let error = only_error("spec/log/log.blogpost.share.yaml", &text);
    assert!(
        error.contains(
            "errors[0].name: error name `wrong-post-id` must be an UpperCamelCase Rust identifier"
        ),
        "{error}"
    );
}

#[test]
fn invalid_parameter_key_is_reported() {
    let text = share_with("name: POST_ID", "name: 1POST");
    let error = only_error("spec/log/log.blogpost.share.yaml", &text);
    assert!(
        error.contains("params[0].name: `1POST` is not a parameter key"),
        "{error}"
    );
}

#[test]
fn ambiguous_grammar_prefixes_are_reported() {
    let text = DESTINATION.replacen(
        "name: User\n    value: id",
        "name: User\n    value: text",
        1,
    );
    let error = only_error("spec/shared/grammars/Destination.yaml", &text);
    assert!(
        error.starts_with(
            "spec/shared/grammars/Destination.yaml:12:5: forms[2].prefix: ambiguous prefixes"
        ),
        "{error}"
    );
}

#[test]
fn method_in_the_wrong_file_is_reported() {
    let error = only_error(
        "spec/log/log.blogpost.share.yaml",
        &share_with("method: log.blogpost.share", "method: log.blogpost.shared"),
    );
    assert!(
        error.contains("must live in `spec/log/log.blogpost.shared.yaml`"),
        "{error}"
    );
}

#[test]
fn method_and_group_with_one_accessor_name_are_reported() {
    let other = share_with("method: log.blogpost.share", "method: log.blogpost")
        .replace("summary: Adds recipients.", "summary: Gets posts.");
    let error = only_error("spec/log/log.blogpost.yaml", &other);
    assert!(error.contains("also a group of methods"), "{error}");
}

#[test]
fn unknown_key_suggests_the_right_one() {
    let text = share_with("safe_to_repeat: false", "safe_to_repaet: false");
    let error = only_error("spec/log/log.blogpost.share.yaml", &text);
    assert!(
        error.starts_with("spec/log/log.blogpost.share.yaml:6:1:"),
        "{error}"
    );
    assert!(error.contains("safe_to_repaet"), "{error}");
    assert!(error.contains("did you mean `safe_to_repeat`?"), "{error}");
}

#[test]
fn example_naming_a_missing_row_is_reported() {
    let text = format!(
        "{SHARE}examples:\n  responses:\n    - name: Bad\n      status: 400\n      body: '{{}}'\n      error: WrongPostID\n"
    );
    let error = only_error("spec/log/log.blogpost.share.yaml", &text);
    assert!(error.contains("examples.responses[0].error: no error row is named `WrongPostID` (did you mean `WrongPostId`?)"), "{error}");
}

#[test]
fn pattern_placeholders_must_match_fields() {
    let text = share_with(
        "    description: Wrong post ID\n",
        "    description: Wrong post {id}\n    match: pattern\n",
    );
    let error = only_error("spec/log/log.blogpost.share.yaml", &text);
    assert!(error.contains("errors[0].fields: the pattern's placeholders `id` must be exactly the declared fields (none)"), "{error}");
}

#[test]
fn an_example_naming_an_unknown_system_error_is_reported() {
    let text = format!(
        "{SHARE}examples:\n  responses:\n    - name: Expired\n      status: 401\n      \
         body: '{{\"error\":\"expired_tokn\"}}'\n      system_error: expired_tokn\n"
    );
    let error = only_error("spec/log/log.blogpost.share.yaml", &text);
    assert!(
        error.contains("system_error: no system error has the code `expired_tokn` (did you mean `expired_token`?)"),
        "{error}"
    );
    let known = text.replace("expired_tokn", "EXPIRED_TOKEN");
    assert!(generate_with("spec/log/log.blogpost.share.yaml", &known).is_ok());
}

#[test]
fn a_scope_named_like_a_module_of_the_crate_is_reported_once() {
    let text = SHARE
        .replace("log.blogpost.share", "mock.blogpost.share")
        .replace("scope: log", "scope: mock");
    let other = text.replace("mock.blogpost.share", "mock.blogpost.get");
    let files = vec![
        (
            "spec/mock/mock.blogpost.share.yaml".to_owned(),
            text.into_bytes(),
        ),
        (
            "spec/mock/mock.blogpost.get.yaml".to_owned(),
            other.into_bytes(),
        ),
        (
            "spec/shared/grammars/Destination.yaml".to_owned(),
            DESTINATION.as_bytes().to_vec(),
        ),
    ];
    let errors = generate(&load_files(files).expect("loads")).expect_err("rejected");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let error = errors[0].to_string();
    assert!(error.starts_with("spec/mock/mock.blogpost.get.yaml:2:1: scope: `mock` cannot be a scope: the generated crate already uses the name"), "{error}");
}

#[test]
fn a_shared_definition_named_like_a_generated_type_is_reported() {
    let object = "object: BlogpostShareCall\nsummary: S\nfields:\n  - name: id\n    type: id\n    description: D\n";
    let error = only_error("spec/shared/objects/BlogpostShareCall.yaml", object);
    assert!(
        error.starts_with("spec/shared/objects/BlogpostShareCall.yaml:1:1: object: `BlogpostShareCall` is also the name the generator gives to a type of `log.blogpost.share` (`b24_rest::log::BlogpostShareCall`)"),
        "{error}"
    );
}
