//! Bad specs: each fault is reported once, with file, line:column, key path and a message
//! that says what to fix.

use b24_codegen::{SpecError, generate, load_files};

const SYSTEM_ERRORS: &str = "\
summary: Errors any method may return.
errors:
  - name: QueryLimitExceeded
    code: QUERY_LIMIT_EXCEEDED
    status: 503
    message: Too many requests
    description: The call never ran.
    retry: backoff
";

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
            "spec/shared/system-errors.yaml".to_owned(),
            SYSTEM_ERRORS.as_bytes().to_vec(),
        ),
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
fn missing_system_error_table_is_reported() {
    let files = vec![
        (
            "spec/shared/grammars/Destination.yaml".to_owned(),
            DESTINATION.as_bytes().to_vec(),
        ),
        (
            "spec/log/log.blogpost.share.yaml".to_owned(),
            SHARE.as_bytes().to_vec(),
        ),
    ];
    let errors = generate(&load_files(files).expect("loads")).expect_err("rejected");
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]
            .to_string()
            .starts_with("spec/shared/system-errors.yaml:1:1:"),
        "{}",
        errors[0]
    );
}
