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

/// `SHARE` with its own objects appended (`objects:` is the last key).
fn share_with_objects(objects: &str) -> String {
    format!("{SHARE}objects:\n{objects}")
}

const LOCAL_ITEM: &str = "  - object: Item
    summary: A local item.
    fields:
      - name: ID
        type: id
        required: true
        description: Its id.
";

#[test]
fn a_method_s_own_objects_come_before_shared_ones_and_live_in_its_module() {
    let shared = "object: Item\nsummary: S\nfields:\n  - name: other\n    type: string\n    description: D\n";
    let local = share_with_objects(&format!(
        "{LOCAL_ITEM}  - object: Holder\n    summary: Holds items.\n    fields:\n      - name: items\n        type: Item[]\n        description: Local items.\n"
    ))
    .replace("  type: boolean\n", "  type: Holder | boolean\n");
    let files = vec![
        (
            "spec/shared/grammars/Destination.yaml".to_owned(),
            DESTINATION.as_bytes().to_vec(),
        ),
        (
            "spec/shared/objects/Item.yaml".to_owned(),
            shared.as_bytes().to_vec(),
        ),
        (
            "spec/log/log.blogpost.share.yaml".to_owned(),
            local.into_bytes(),
        ),
    ];
    let generated = generate(&load_files(files).expect("loads")).expect("valid");
    let file = |path: &str| {
        generated
            .iter()
            .find(|f| f.path.ends_with(path))
            .unwrap_or_else(|| panic!("no {path}"))
            .contents
            .clone()
    };
    let method = file("api/log/blogpost_share.rs");
    assert!(method.contains("pub struct Item {"), "{method}");
    assert!(method.contains("pub struct Holder {"), "{method}");
    // The local `Item`, by the scope's path; the shared one is not used.
    assert!(
        method.contains("pub items: ::std::vec::Vec<crate::api::log::Item>"),
        "{method}"
    );
    assert!(method.contains("Holder(::std::boxed::Box<crate::api::log::Holder>)"));
    assert!(!method.contains("crate::api::shared::Item"));
    let module = file("api/log/mod.rs");
    assert!(
        module.contains("Item") && module.contains("Holder"),
        "{module}"
    );
    // The shared one still has its own file.
    assert!(file("api/shared/item.rs").contains("pub other:"));
}

#[test]
fn faults_in_a_method_s_own_objects_are_located_in_it() {
    let bad_type = LOCAL_ITEM.replace("type: id", "type: Itme");
    let error = only_error(
        "spec/log/log.blogpost.share.yaml",
        &share_with_objects(&bad_type),
    );
    assert!(
        error.starts_with("spec/log/log.blogpost.share.yaml:30:9: objects[0].fields[0].type: unknown type `Itme` (did you mean `Item`?)"),
        "{error}"
    );

    let twice = share_with_objects(&format!("{LOCAL_ITEM}{LOCAL_ITEM}"));
    let error = only_error("spec/log/log.blogpost.share.yaml", &twice);
    assert!(
        error.contains("objects[1].object: duplicate object `Item` (first at objects[0].object)"),
        "{error}"
    );

    let open = format!(
        "{LOCAL_ITEM}    other_fields:\n      name: rest\n      type: string\n      description: R\n"
    );
    let error = only_error(
        "spec/log/log.blogpost.share.yaml",
        &share_with_objects(&open),
    );
    assert!(
        error.contains("objects[0].other_fields.type: `other_fields` keep the raw value of every field that does not fit, so their type must be `any`, not `string`"),
        "{error}"
    );
}

#[test]
fn a_method_s_own_object_may_not_take_a_name_of_its_scope_module() {
    let named = |name: &str| share_with_objects(&LOCAL_ITEM.replace("object: Item", name));
    let error = only_error(
        "spec/log/log.blogpost.share.yaml",
        &named("object: BlogpostShareCall"),
    );
    assert!(
        error.contains("objects[0].object: the method's own object `BlogpostShareCall` would be `b24_rest::log::BlogpostShareCall`, which is already a type the generator makes for `log.blogpost.share`"),
        "{error}"
    );
    let error = only_error("spec/log/log.blogpost.share.yaml", &named("object: Option"));
    assert!(
        error.contains("objects[0].object: `Option` is a name the generated crate already uses"),
        "{error}"
    );

    // Two methods of one scope with an object of one name.
    let get = share_with_objects(LOCAL_ITEM)
        .replace("log.blogpost.share", "log.blogpost.get")
        .replace("title: Share", "title: Get");
    let files = vec![
        (
            "spec/shared/grammars/Destination.yaml".to_owned(),
            DESTINATION.as_bytes().to_vec(),
        ),
        (
            "spec/log/log.blogpost.share.yaml".to_owned(),
            share_with_objects(LOCAL_ITEM).into_bytes(),
        ),
        (
            "spec/log/log.blogpost.get.yaml".to_owned(),
            get.into_bytes(),
        ),
    ];
    let errors = generate(&load_files(files).expect("loads")).expect_err("rejected");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let error = errors[0].to_string();
    assert!(
        error.starts_with("spec/log/log.blogpost.share.yaml:26:5: objects[0].object: the method's own object `Item` would be `b24_rest::log::Item`, which is already the own object of `log.blogpost.get` (spec/log/log.blogpost.get.yaml: objects[0].object)"),
        "{error}"
    );
}

/// The base share spec with these rows after its own.
fn share_with_rows(rows: &str) -> String {
    format!("{SHARE}{rows}")
}

#[test]
fn a_code_only_row_needs_a_code_and_takes_its_code_whole() {
    // Valid: a code-only row, and an exact row with its code alone as an alternative.
    let valid = share_with_rows(
        "  - name: Denied\n    status: 403\n    code: ACCESS_DENIED\n    description: Access denied.\n    meaning: Any language.\n    match: code\n\
         \x20 - name: Gone\n    status: 400\n    code: GONE\n    description: Gone.\n    meaning: M.\n    also:\n      - match: code\n        note: localised portals\n",
    );
    generate_with("spec/log/log.blogpost.share.yaml", &valid).expect("valid");

    let empty = share_with_rows(
        "  - name: Denied\n    status: 403\n    code: ''\n    description: Access denied.\n    meaning: M.\n    match: code\n",
    );
    let error = only_error("spec/log/log.blogpost.share.yaml", &empty);
    assert!(
        error.contains("errors[1].code: `match: code` needs a non-empty code"),
        "{error}"
    );

    let alternative = share_with_rows(
        "  - name: Gone\n    status: 400\n    code: GONE\n    description: Gone.\n    meaning: M.\n    also:\n      - code: ''\n        match: code\n        note: N.\n",
    );
    let error = only_error("spec/log/log.blogpost.share.yaml", &alternative);
    assert!(
        error.contains("errors[1].also[0].code: `match: code` needs a non-empty code"),
        "{error}"
    );

    for later in [
        // The same code alone again.
        "  - name: Again\n    status: 403\n    code: access_denied\n    description: Other.\n    meaning: M.\n    match: code\n",
        // A text of that code after it.
        "  - name: Again\n    status: 403\n    code: ACCESS_DENIED\n    description: Access denied for you.\n    meaning: M.\n",
    ] {
        let text = share_with_rows(&format!(
            "  - name: Denied\n    status: 403\n    code: ACCESS_DENIED\n    description: Access denied.\n    meaning: M.\n    match: code\n{later}"
        ));
        let error = only_error("spec/log/log.blogpost.share.yaml", &text);
        assert!(
            error.contains("errors[2]: the code `")
                && error.contains("alone already identifies the error at errors[1]"),
            "{error}"
        );
    }
}

#[test]
fn patterns_take_double_braces_as_literal_braces() {
    let row = |text: &str| {
        share_with_rows(&format!(
            "  - name: Bad\n    status: 400\n    description: '{text}'\n    meaning: M.\n    match: pattern\n    fields:\n      - name: field\n        type: string\n        required: true\n        description: D.\n"
        ))
    };
    generate_with(
        "spec/log/log.blogpost.share.yaml",
        &row("Field {{{field}}} of {{x}}"),
    )
    .expect("valid");
    let error = only_error("spec/log/log.blogpost.share.yaml", &row("Field {field} }"));
    assert!(
        error.contains(
            "errors[1].description: unmatched `}` in pattern (write `}}` for a literal `}`)"
        ),
        "{error}"
    );
}

const CHAT: &str = "\
grammar: Chat
summary: A chat.
forms:
  - prefix: chat
    name: Chat
    value: id
    description: Chat `X`.
  - prefix: sg
    name: Group
    value: id
    description: Group chat `X`.
  - prefix: ''
    name: User
    value: id
    description: User `X`, a bare id.
";

#[test]
fn grammar_prefixes_are_visible_ascii_and_an_empty_one_is_a_bare_id() {
    generate_with("spec/shared/grammars/Chat.yaml", CHAT).expect("valid");
    let error = only_error(
        "spec/shared/grammars/Chat.yaml",
        &CHAT.replacen("prefix: sg", "prefix: s g", 1),
    );
    assert!(
        error.contains("forms[1].prefix: prefix `s g` must be ASCII letters, digits or signs, without white space"),
        "{error}"
    );
    let error = only_error(
        "spec/shared/grammars/Chat.yaml",
        &CHAT
            .replacen("description: User `X`, a bare id.", "description: U.", 1)
            .replacen(
                "name: User\n    value: id",
                "name: User\n    value: text",
                1,
            ),
    );
    assert!(
        error.contains("forms[2].prefix: an empty prefix needs `value: id`"),
        "{error}"
    );
    let error = only_error(
        "spec/shared/grammars/Chat.yaml",
        &format!("{CHAT}  - prefix: '7'\n    name: Seven\n    value: none\n    description: S.\n"),
    );
    assert!(
        error.contains("forms[3].prefix: ambiguous prefixes: `7` could be form `User` (`` + id) or form `Seven`"),
        "{error}"
    );
}

#[test]
fn enum_values_are_all_numbers_or_all_text() {
    let level = |values: &str| format!("enum: Level\nsummary: A level.\nvalues:\n{values}");
    let value = |wire: &str, name: &str| {
        format!("  - value: {wire}\n    name: {name}\n    description: D.\n")
    };
    let numbers = level(&(value("1", "Low") + &value("2", "High")));
    generate_with("spec/shared/enums/Level.yaml", &numbers).expect("valid");
    let quoted = level(&(value("\"1\"", "Low") + &value("'2'", "High")));
    generate_with("spec/shared/enums/Level.yaml", &quoted).expect("valid");
    let mixed = level(&(value("1", "Low") + &value("high", "High")));
    let error = only_error("spec/shared/enums/Level.yaml", &mixed);
    assert!(
        error.contains("values[1].value: `high` is text but the first value is a number"),
        "{error}"
    );
    let float = level(&value("1.5", "Low"));
    let error = only_error("spec/shared/enums/Level.yaml", &float);
    assert!(
        error.contains("values[0].value") && error.contains("a string or a whole number"),
        "{error}"
    );
}

#[test]
fn decimal_is_a_built_in_type() {
    let text = share_with("type: integer", "type: decimal");
    generate_with("spec/log/log.blogpost.share.yaml", &text).expect("valid");
    let error = only_error(
        "spec/log/log.blogpost.share.yaml",
        &share_with("type: integer", "type: decimel"),
    );
    assert!(error.contains("did you mean `decimal`?"), "{error}");
}
