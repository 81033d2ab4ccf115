//! Names are hygienic (issue 12, item 2): whatever name a spec gives a shared object, enum or
//! grammar (and a grammar's forms), an enum's values, an object's fields, a method's parameters,
//! error rows and their fields, or a member of a result union (`A | B`), either
//! `b24_codegen::generate` refuses the spec set with exactly one located error (file,
//! line:column and key path), or the generated crate compiles without a warning under
//! `cargo clippy --all-targets --all-features -- -D warnings`.
//!
//! The names tried are those of Rust's prelude, std, core and serde items, of the SDK's own
//! items, Rust keywords, and the names the generator itself makes (`<Method>Request`, `…Error`,
//! `…Call`, `…Result`, `<Scope>Api`), among them the cases of the issue: the shared object
//! `BlogPost` renamed to `Default`, `PartialEq` or `Into`, and a shared object `TaskGetResult`
//! in the result `TaskGetResult | any[]` of the method `task.get` (whose union is `GetResult`)
//! or `tasks.task.get` (whose union is `TaskGetResult` too).
//!
//! Every (slot, name) pair is generated alone, on a small base spec set, and checked for a
//! refusal; so are random pairs (proptest) of slots and name-like values. The names accepted are
//! then packed into three spec sets (each shared name an object in one, an enum in another and
//! a grammar in the third) and the three generated crates are checked by ONE `cargo clippy` of
//! a scratch workspace beside the real runtime, in the workspace's target folder, so that no
//! dependency is built again.

mod cargo_run;

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::time::Instant;

use b24_codegen::{GeneratedFile, SpecError};
use proptest::prelude::*;
use proptest::test_runner::Config;

/// Names for types: shared objects, enums and grammars, and so the members of result unions.
#[rustfmt::skip]
const TYPE_NAMES: &[&str] = &[
    // The issue's cases.
    "Default", "PartialEq", "Into", "TaskGetResult",
    // Rust's prelude, std, core and serde.
    "Option", "Some", "None", "Result", "Ok", "Err", "Vec", "String", "Box", "Clone", "Copy",
    "Debug", "Display", "Formatter", "Hash", "Eq", "Ord", "PartialOrd", "From", "TryFrom", "AsRef",
    "Deref", "Send", "Sync", "Sized", "Iterator", "IntoIterator", "IntoFuture", "Future", "Pin",
    "FromStr", "ToString", "BTreeMap", "HashMap", "PhantomData", "Cow", "Arc", "Rc", "Infallible",
    "Fn", "Drop", "Serialize", "Deserialize", "Serializer", "Deserializer", "Visitor", "Value",
    "Map", "Number",
    // The SDK's items, and the modules generated code reaches by absolute path.
    "Client", "ClientBuilder", "Call", "Error", "Method", "MethodError", "ErrorMeta", "ErrorRows",
    "Response", "Id", "Specs", "Time", "SystemError", "Std", "Core", "Serde", "SerdeJson", "Alloc",
    "B24Rest", "B24RestRuntime", "Api", "Shared", "Mock", "Batch", "Conformance",
    // Names of union variants and of what the generator makes.
    "Json", "JsonList", "Text", "Boolean", "Integer", "Double", "List", "Unhandled", "Other",
    "Meta", "Fields", "Request", "Output", "Target", "ThingMakeRequest", "ThingMakeError",
    "ThingMakeCall", "ThingMakeResult", "GetRequest", "GetError", "GetCall", "GetResult",
    "TaskGetRequest", "TaskGetError", "TaskGetCall", "ZzApi", "ZzThingApi", "TaskApi", "TasksApi",
    "ZzLevel", "ZzCode",
    // Keywords, and names that are not types at all.
    "Self", "self", "type", "match", "fn", "crate", "super", "async", "Type", "Match", "Crate",
    "Super", "Async", "fmt", "serde", "std", "core", "_", "r#type",
];

/// Names for variants: an enum's values, a grammar's forms, error rows.
#[rustfmt::skip]
const VARIANT_NAMES: &[&str] = &[
    "Default", "PartialEq", "Into", "From", "Option", "Some", "None", "Result", "Ok", "Err",
    "Other", "Unhandled", "Meta", "Value", "Error", "Type", "Display", "Debug", "Clone", "String",
    "Vec", "Box", "Serialize", "Deserialize", "Json", "Text", "Unknown", "Crate", "Super", "Match",
    "Async", "Fn", "Std", "Core", "Serde", "Call", "Client", "Method", "ErrorMeta",
    "ThingMakeError", "TaskGetResult", "ZzLevel", "Kind", "Low", "WrongThing", "Self", "self",
    "type", "fmt", "_",
];

/// Names for fields: parameters, object fields and error fields, as keys on the wire.
#[rustfmt::skip]
const FIELD_NAMES: &[&str] = &[
    "type", "self", "Self", "super", "crate", "fn", "match", "async", "await", "move", "ref",
    "r#type", "_", "__", "default", "Default", "new", "send", "request", "pages", "into_call",
    "custom_field", "custom_fields", "meta", "call", "client", "into", "from", "clone", "fmt", "eq",
    "hash", "serialize", "deserialize", "serializer", "deserializer", "value", "result", "option",
    "some", "none", "ok", "err", "std", "core", "serde", "f", "formatter", "v", "map", "seq",
    "variant", "fields", "field", "inner", "output", "into_future", "build", "builder", "spec_data",
    "error_table", "from_row", "parts", "unhandled", "NAME", "BATCH", "Output", "Error", "__field0",
    "__private", "thing_id", "ThingId",
];

/// Where a name goes in the base spec set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Slot {
    /// The shared object `BlogPost`, the result of `zz.thing.make`, renamed.
    BlogPost,
    /// A shared object of its own, a member of the result union of `task.get`.
    Object,
    /// A shared enum of its own, a parameter of `zz.thing.make` and a union member.
    Enum,
    /// A grammar of its own, a parameter of `zz.thing.make` and a union member.
    Grammar,
    /// A value of the open enum `ZzLevel`.
    EnumValue,
    /// A form of the grammar `ZzCode`.
    GrammarForm,
    /// A field of `BlogPost`.
    ObjectField,
    /// A required parameter of `zz.thing.make`.
    Param,
    /// An optional parameter of `task.get`.
    OptionalParam,
    /// An error row of `zz.thing.make`.
    ErrorRow,
    /// A field of a `pattern` error row of `zz.thing.make`.
    ErrorField,
}

const SLOTS: [Slot; 11] = [
    Slot::BlogPost,
    Slot::Object,
    Slot::Enum,
    Slot::Grammar,
    Slot::EnumValue,
    Slot::GrammarForm,
    Slot::ObjectField,
    Slot::Param,
    Slot::OptionalParam,
    Slot::ErrorRow,
    Slot::ErrorField,
];

impl Slot {
    fn names(self) -> &'static [&'static str] {
        match self {
            Slot::BlogPost | Slot::Object | Slot::Enum | Slot::Grammar => TYPE_NAMES,
            Slot::EnumValue | Slot::GrammarForm | Slot::ErrorRow => VARIANT_NAMES,
            Slot::ObjectField | Slot::Param | Slot::OptionalParam | Slot::ErrorField => FIELD_NAMES,
        }
    }

    /// What two names of one slot in one spec set must not share: the Rust name of a field or
    /// of a shared definition's module, or a variant's name itself.
    fn key(self, name: &str) -> String {
        match self {
            Slot::EnumValue | Slot::GrammarForm | Slot::ErrorRow => name.to_owned(),
            _ => b24_codegen::names::snake(name),
        }
    }
}

/// The names one spec set puts in each slot; the base spec set when empty.
#[derive(Debug, Clone, Default)]
struct Names {
    blog_post: Option<String>,
    objects: Vec<String>,
    enums: Vec<String>,
    grammars: Vec<String>,
    enum_values: Vec<String>,
    grammar_forms: Vec<String>,
    object_fields: Vec<String>,
    params: Vec<String>,
    optional_params: Vec<String>,
    error_rows: Vec<String>,
    error_fields: Vec<String>,
    /// Whether the method `tasks.task.get` is there too.
    tasks_task_get: bool,
}

impl Names {
    fn single(slot: Slot, name: &str) -> Names {
        let mut names = Names::default();
        names.push(slot, name);
        names
    }

    fn push(&mut self, slot: Slot, name: &str) {
        let name = name.to_owned();
        match slot {
            Slot::BlogPost => self.blog_post = Some(name),
            Slot::Object => self.objects.push(name),
            Slot::Enum => self.enums.push(name),
            Slot::Grammar => self.grammars.push(name),
            Slot::EnumValue => self.enum_values.push(name),
            Slot::GrammarForm => self.grammar_forms.push(name),
            Slot::ObjectField => self.object_fields.push(name),
            Slot::Param => self.params.push(name),
            Slot::OptionalParam => self.optional_params.push(name),
            Slot::ErrorRow => self.error_rows.push(name),
            Slot::ErrorField => self.error_fields.push(name),
        }
    }

    /// The spec files, as `load_files` takes them.
    fn files(&self) -> Vec<(String, Vec<u8>)> {
        let mut files = vec![
            (
                "spec/shared/objects/BlogPost.yaml".to_owned(),
                self.blog_post_yaml(),
            ),
            (
                "spec/shared/enums/ZzLevel.yaml".to_owned(),
                self.level_yaml(),
            ),
            (
                "spec/shared/grammars/ZzCode.yaml".to_owned(),
                self.code_yaml(),
            ),
            ("spec/zz/zz.thing.make.yaml".to_owned(), self.make_yaml()),
            ("spec/task/task.get.yaml".to_owned(), self.task_get_yaml()),
        ];
        if self.tasks_task_get {
            let path = "spec/tasks/tasks.task.get.yaml".to_owned();
            files.push((path, self.tasks_task_get_yaml()));
        }
        for (i, name) in self.objects.iter().enumerate() {
            let yaml = format!(
                "object: {}\nsummary: An object.\nfields:\n  - name: value\n    type: string\n    \
                 description: A value.\n",
                quoted(name)
            );
            files.push((format!("spec/shared/objects/O{i}.yaml"), yaml));
        }
        for (i, name) in self.enums.iter().enumerate() {
            let yaml = format!(
                "enum: {}\nsummary: An enum.\nvalues:\n  - value: a\n    name: A\n    \
                 description: A.\n",
                quoted(name)
            );
            files.push((format!("spec/shared/enums/E{i}.yaml"), yaml));
        }
        for (i, name) in self.grammars.iter().enumerate() {
            let yaml = format!(
                "grammar: {}\nsummary: A grammar.\nforms:\n  - prefix: X\n    name: Thing\n    \
                 value: id\n    description: Thing `X`.\n",
                quoted(name)
            );
            files.push((format!("spec/shared/grammars/G{i}.yaml"), yaml));
        }
        files
            .into_iter()
            .map(|(path, text)| (path, text.into_bytes()))
            .collect()
    }

    fn blog_post(&self) -> &str {
        self.blog_post.as_deref().unwrap_or("BlogPost")
    }

    fn blog_post_yaml(&self) -> String {
        let mut yaml = format!(
            "object: {}\nsummary: A message.\nfields:\n  - name: ID\n    type: id\n    \
             required: true\n    description: The message.\n",
            quoted(self.blog_post())
        );
        for name in &self.object_fields {
            yaml.push_str(&format!(
                "  - name: {}\n    type: string\n    description: A field.\n",
                quoted(name)
            ));
        }
        yaml
    }

    fn level_yaml(&self) -> String {
        let mut yaml =
            "enum: ZzLevel\nsummary: A level.\nopen: true\nvalues:\n  - value: low\n    \
                        name: Low\n    description: Low.\n"
                .to_owned();
        for (i, name) in self.enum_values.iter().enumerate() {
            yaml.push_str(&format!(
                "  - value: v{i}\n    name: {}\n    description: A level.\n",
                quoted(name)
            ));
        }
        yaml
    }

    fn code_yaml(&self) -> String {
        let mut yaml =
            "grammar: ZzCode\nsummary: A code.\nforms:\n  - prefix: K\n    name: Kind\n    \
                        value: id\n    description: Kind `X`.\n"
                .to_owned();
        for (i, name) in self.grammar_forms.iter().enumerate() {
            // Two letters each, none a prefix of another, so no form is ambiguous.
            let prefix = format!(
                "{}{}",
                char::from(b'Q' + (i / 26) as u8),
                char::from(b'A' + (i % 26) as u8)
            );
            let value = ["none", "id", "text"][i % 3];
            yaml.push_str(&format!(
                "  - prefix: {prefix}\n    name: {}\n    value: {value}\n    description: A form.\n",
                quoted(name)
            ));
        }
        yaml
    }

    fn make_yaml(&self) -> String {
        let mut yaml = "method: zz.thing.make\nscope: zz\ntitle: Make a thing\nsummary: Makes a thing.\n\
                        access: Anyone.\nsafe_to_repeat: false\nbatch: true\nparams:\n  \
                        - name: THING_ID\n    type: integer\n    required: true\n    description: The thing.\n  \
                        - name: LEVEL\n    type: ZzLevel\n    description: A level.\n  \
                        - name: CODES\n    type: ZzCode[]\n    description: Codes.\n"
            .to_owned();
        yaml.push_str(&params(&self.params, true));
        let used = self.enums.iter().chain(&self.grammars);
        for (i, name) in used.enumerate() {
            yaml.push_str(&format!(
                "  - name: USE_{i}\n    type: {}\n    description: A value.\n",
                quoted(&format!("{name}[]"))
            ));
        }
        yaml.push_str(&format!(
            "result:\n  type: {}\n  description: The thing.\nerrors:\n  - name: WrongThing\n    \
             status: 400\n    code: ''\n    description: Wrong thing\n    meaning: No such thing.\n",
            quoted(self.blog_post())
        ));
        for (i, name) in self.error_rows.iter().enumerate() {
            yaml.push_str(&format!(
                "  - name: {}\n    status: 400\n    code: E{i}\n    description: Failure {i}\n    \
                 meaning: A failure.\n",
                quoted(name)
            ));
        }
        yaml.push_str(&self.pattern_rows());
        yaml
    }

    /// `pattern` rows: one with the field `thing`, and one more for each error field, which
    /// captures it after `thing` (so that the rows read two fields at once).
    fn pattern_rows(&self) -> String {
        let mut rows = pattern_row("NoThing", "No thing {thing}", &[]);
        for (i, name) in self.error_fields.iter().enumerate() {
            let text = format!("No thing {{thing}} part {{{name}}} ({i})");
            rows.push_str(&pattern_row(&format!("NoThing{i}"), &text, &[name]));
        }
        rows
    }

    /// The shared definitions of their own and `any[]` (`boolean | any[]` when there are
    /// none): `TaskGetResult | any[]` for the object `TaskGetResult` alone.
    fn union(&self) -> String {
        let mut members: Vec<&str> = self
            .objects
            .iter()
            .chain(&self.enums)
            .chain(&self.grammars)
            .map(String::as_str)
            .collect();
        if members.is_empty() {
            members.push("boolean");
        }
        members.push("any[]");
        members.join(" | ")
    }

    /// `task.get` (its result union is `GetResult`), with the optional parameters.
    fn task_get_yaml(&self) -> String {
        format!(
            "method: task.get\nscope: task\ntitle: Get a task\nsummary: Gets a task.\n\
             access: Anyone.\nsafe_to_repeat: true\nbatch: true\nparams:\n  - name: TASK_ID\n    \
             type: integer\n    required: true\n    description: The task.\n{}result:\n  \
             type: {}\n  description: The task.\n",
            params(&self.optional_params, false),
            quoted(&self.union())
        )
    }

    /// `tasks.task.get`, whose result union is `TaskGetResult`, as the issue found it.
    fn tasks_task_get_yaml(&self) -> String {
        format!(
            "method: tasks.task.get\nscope: tasks\ntitle: Get a task\nsummary: Gets a task.\n\
             access: Anyone.\nsafe_to_repeat: true\nbatch: true\nparams: []\nresult:\n  \
             type: {}\n  description: The task.\n",
            quoted(&self.union())
        )
    }
}

/// A `pattern` error row capturing the integer `thing` and the string `fields`.
fn pattern_row(name: &str, text: &str, fields: &[&String]) -> String {
    let mut yaml = format!(
        "  - name: {name}\n    status: 400\n    code: ''\n    description: {}\n    \
         meaning: A failure with data.\n    match: pattern\n    fields:\n      - name: thing\n        \
         type: integer\n        required: true\n        description: The thing.\n",
        quoted(text)
    );
    for field in fields {
        yaml.push_str(&format!(
            "      - name: {}\n        type: string\n        required: true\n        \
             description: A part.\n",
            quoted(field)
        ));
    }
    yaml
}

/// Integer parameters, as items of `params:`.
fn params(names: &[String], required: bool) -> String {
    names
        .iter()
        .map(|name| {
            format!(
                "  - name: {}\n    type: integer\n    required: {required}\n    description: A number.\n",
                quoted(name)
            )
        })
        .collect()
}

/// `text` as a YAML scalar that reads back as exactly `text`.
fn quoted(text: &str) -> String {
    serde_json::to_string(text).expect("a string encodes")
}

/// The files, or the spec errors.
fn generate(names: &Names) -> Result<Vec<GeneratedFile>, Vec<SpecError>> {
    let specs = b24_codegen::load_files(names.files())?;
    b24_codegen::generate(&specs)
}

/// Whether `generate` accepts the spec set, judged by what it checks before it emits
/// (validation and the model; the names accepted are emitted in [`pack`]ed sets). A refusal
/// must be exactly one error, located in a given file, at a line and column it has, at a key.
fn accepted(names: &Names) -> Result<bool, String> {
    let files = names.files();
    let checked = b24_codegen::load_files(files.clone()).and_then(|specs| {
        b24_codegen::validate::validate(&specs)?;
        b24_codegen::model::build(&specs).map(drop)
    });
    let errors = match checked {
        Ok(()) => return Ok(true),
        Err(errors) => errors,
    };
    let [error] = errors.as_slice() else {
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        return Err(format!(
            "{} errors instead of one:\n{}",
            errors.len(),
            shown.join("\n")
        ));
    };
    let Some((_, text)) = files.iter().find(|(path, _)| *path == error.file) else {
        return Err(format!("located in a file that was not given: {error}"));
    };
    let lines = String::from_utf8_lossy(text).lines().count();
    let located = (1..=lines).contains(&error.line) && error.column >= 1;
    if !located || error.key_path.0.is_empty() || error.message.trim().is_empty() {
        return Err(format!("not located at a line, column and key: {error}"));
    }
    Ok(false)
}

/// [`accepted`] for each listed name alone in each slot, on two threads: the accepted pairs,
/// the count refused, and what is wrong with the refusals that are not one located error.
fn try_alone() -> (Vec<(Slot, &'static str)>, usize, Vec<String>) {
    let cases: Vec<(Slot, &'static str)> = SLOTS
        .iter()
        .flat_map(|&slot| slot.names().iter().map(move |&name| (slot, name)))
        .collect();
    let verdicts: Vec<Result<bool, String>> = std::thread::scope(|scope| {
        let halves: Vec<_> = cases
            .chunks(cases.len().div_ceil(2))
            .map(|half| {
                scope.spawn(move || {
                    half.iter()
                        .map(|&(slot, name)| accepted(&Names::single(slot, name)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        halves
            .into_iter()
            .flat_map(|half| half.join().expect("no panic"))
            .collect()
    });
    let mut taken = Vec::new();
    let (mut refused, mut problems) = (0, Vec::new());
    for ((slot, name), verdict) in cases.into_iter().zip(verdicts) {
        match verdict {
            Ok(true) => taken.push((slot, name)),
            Ok(false) => refused += 1,
            Err(problem) => problems.push(format!("{slot:?} `{name}`: {problem}")),
        }
    }
    (taken, refused, problems)
}

#[test]
fn the_cases_of_the_issue_are_refused_at_the_name_or_accepted() {
    // `BlogPost` renamed to a name of Rust's prelude.
    for name in ["Default", "PartialEq", "Into"] {
        let names = Names::single(Slot::BlogPost, name);
        assert_eq!(
            accepted(&names),
            Ok(false),
            "`BlogPost` renamed to `{name}`"
        );
    }
    // `TaskGetResult | any[]` as the result of `task.get`, whose union is `GetResult`: the
    // name is free, and the listed names compile it.
    let names = Names::single(Slot::Object, "TaskGetResult");
    assert_eq!(names.union(), "TaskGetResult | any[]");
    assert_eq!(accepted(&names), Ok(true));
    assert!(TYPE_NAMES.contains(&"TaskGetResult"));
    // ... and of `tasks.task.get`, whose union the generator names `TaskGetResult` too.
    let names = Names {
        tasks_task_get: true,
        ..names
    };
    assert_eq!(accepted(&names), Ok(false));
}

#[test]
fn the_base_spec_set_generates() {
    generate(&Names::default()).unwrap_or_else(|errors| panic!("{errors:#?}"));
}

proptest! {
    #![proptest_config(Config { cases: 256, failure_persistence: None, ..Config::default() })]

    /// Names built from the lists and from the generator's suffixes, and arbitrary
    /// identifiers, in any slot: refused with one located error, or generated.
    #[test]
    fn any_name_is_refused_with_one_located_error_or_generates(
        slot in prop::sample::select(SLOTS.to_vec()),
        name in name_like(),
    ) {
        let verdict = accepted(&Names::single(slot, &name));
        prop_assert!(verdict.is_ok(), "{:?} `{}`: {}", slot, name, verdict.unwrap_err());
    }
}

/// Name-like values: a listed name with a suffix the generator uses, a case change of one,
/// or an arbitrary identifier.
fn name_like() -> impl Strategy<Value = String> {
    let all: Vec<&str> = TYPE_NAMES
        .iter()
        .chain(VARIANT_NAMES)
        .chain(FIELD_NAMES)
        .copied()
        .collect();
    let suffixes = [
        "Request", "Error", "Call", "Result", "Api", "Fields", "List", "Map", "_",
    ];
    prop_oneof![
        (
            prop::sample::select(all.clone()),
            prop::sample::select(suffixes.to_vec())
        )
            .prop_map(|(name, suffix)| format!("{name}{suffix}")),
        prop::sample::select(all.clone()).prop_map(str::to_uppercase),
        prop::sample::select(all).prop_map(str::to_lowercase),
        "[A-Za-z_][A-Za-z0-9_]{0,8}",
    ]
}

/// Each listed name alone in each slot, checked; then the accepted ones packed into three spec
/// sets whose generated crates must pass `cargo clippy -D warnings`.
#[test]
fn listed_names_are_refused_with_one_located_error_or_compile_without_warnings() {
    let started = Instant::now();
    // Faults of both kinds are collected, so that one run shows them all.
    let (taken, refused, mut problems) = try_alone();
    eprintln!(
        "names: {} accepted, {refused} refused, in {:.1?}",
        taken.len(),
        started.elapsed()
    );
    let sets = pack(&taken);
    let crates: Vec<Vec<GeneratedFile>> = sets
        .iter()
        .map(|names| generate(names).unwrap_or_else(|errors| panic!("{names:#?}: {errors:#?}")))
        .collect();
    let started = Instant::now();
    problems.extend(clippy(&crates));
    eprintln!(
        "names: {} crates checked by clippy in {:.1?}",
        crates.len(),
        started.elapsed()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// Spec sets compiled together.
const SETS: usize = 3;

/// Spec sets holding the accepted names: each type name an object in one set, an enum in the
/// next and a grammar in the third (as far as the slots accepted it), the first accepted names
/// for `BlogPost` one a set; every other name in every set, except that names whose Rust
/// forms meet (`Self` and `self` both become `self_`) go to different sets.
fn pack(taken: &[(Slot, &str)]) -> Vec<Names> {
    let mut sets = vec![Names::default(); SETS];
    let mut types: Vec<BTreeSet<String>> = vec![BTreeSet::new(); SETS];
    let mut groups: BTreeMap<(Slot, String), Vec<&str>> = BTreeMap::new();
    let mut renames = Vec::new();
    for &(slot, name) in taken {
        let turn = match slot {
            Slot::Object => 0,
            Slot::Enum => 1,
            Slot::Grammar => 2,
            Slot::BlogPost => {
                renames.push(name);
                continue;
            }
            _ => {
                groups.entry((slot, slot.key(name))).or_default().push(name);
                continue;
            }
        };
        // One namespace for the shared definitions of a set, by their module names.
        let position = TYPE_NAMES.iter().position(|n| *n == name).unwrap_or(0);
        let set = (0..SETS)
            .map(|offset| (position + turn + offset) % SETS)
            .find(|&set| types[set].insert(slot.key(name)))
            .unwrap_or_else(|| panic!("no spec set left for {slot:?} `{name}`"));
        sets[set].push(slot, name);
    }
    // `BlogPost` takes one name a set: the first accepted ones no other definition there has.
    for (set, names) in sets.iter_mut().enumerate() {
        let free = renames
            .iter()
            .position(|name| !types[set].contains(&Slot::BlogPost.key(name)));
        if let Some(at) = free {
            names.push(Slot::BlogPost, renames.remove(at));
        }
    }
    for ((slot, _), names) in groups {
        assert!(
            names.len() <= SETS,
            "{slot:?}: too many names meet: {names:?}"
        );
        for (member, name) in names.iter().enumerate() {
            for set in (0..SETS).filter(|set| set % names.len() == member) {
                sets[set].push(slot, name);
            }
        }
    }
    sets
}

/// `cargo clippy --all-targets --all-features -D warnings` of the crates, each the files of
/// one generated crate, in one scratch workspace beside the real runtime and contract crates;
/// what it reports, if it fails.
fn clippy(crates: &[Vec<GeneratedFile>]) -> Option<String> {
    let root = xtask::default_root();
    let scratch = cargo_run::target_dir().join("tmp/b24-names");
    let _ = fs::remove_dir_all(&scratch);
    let mut members = Vec::new();
    for (i, files) in crates.iter().enumerate() {
        let member = format!("names{i}");
        for file in files {
            let Some(relative) = file.path.strip_prefix("generated/") else {
                continue;
            };
            let mut contents = file.contents.clone();
            if relative == "Cargo.toml" {
                contents = manifest(&contents, &member, &root);
            }
            write(&scratch.join(&member).join(relative), &contents);
        }
        members.push(member);
    }
    let workspace = workspace_manifest(&root, &members);
    write(&scratch.join("Cargo.toml"), &workspace);
    fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).expect("Cargo.lock copies");
    let output = cargo_run::cargo(
        &scratch,
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--all-features",
            "--quiet",
            "--message-format=short",
            "--",
            "-D",
            "warnings",
        ],
    );
    (!output.status.success()).then(|| {
        format!(
            "the generated crates in {} do not pass clippy:\n{}",
            scratch.display(),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// The generated manifest as the scratch crate `member`'s: its own name, and the runtime and
/// contract crates where they are (so their builds in the target folder are reused).
fn manifest(generated: &str, member: &str, root: &Path) -> String {
    let runtime = root.join("runtime");
    let mut text = generated.replacen("name = \"b24-rest\"", &format!("name = \"{member}\""), 1);
    text = text.replace(
        "path = \"../runtime\"",
        &format!("path = {}", quoted(&runtime.display().to_string())),
    );
    assert!(text.contains(&format!("name = \"{member}\"")) && !text.contains("../runtime"));
    text
}

/// The workspace's manifest with `members` as its only members.
fn workspace_manifest(root: &Path, members: &[String]) -> String {
    let manifest = fs::read_to_string(root.join("Cargo.toml")).expect("the workspace manifest");
    let quoted_members: Vec<String> = members.iter().map(|m| quoted(m)).collect();
    let lines: Vec<String> = manifest
        .lines()
        .map(|line| {
            if line.starts_with("members = ") {
                format!("members = [{}]", quoted_members.join(", "))
            } else {
                line.to_owned()
            }
        })
        .collect();
    lines.join("\n") + "\n"
}

fn write(path: &Path, contents: &str) {
    fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
    fs::write(path, contents).expect("written");
}
