//! The `clap` command tree, built from the method catalogue: `b24`'s own options, and
//! one subcommand per method with a flag per parameter and the spec's help text.

use std::time::Duration;

use clap::{Arg, ArgAction, Command};
use serde_json::{Map, Value};

use crate::catalog::{Catalog, MethodDef, ParamDef};
use crate::{auth, exit};

/// Id and flag of the option that gives the whole request as JSON.
pub const JSON: &str = "json";
/// Id and flag of `--webhook`.
pub const WEBHOOK: &str = "webhook";
/// Id and flag of `--portal`.
pub const PORTAL: &str = "portal";
/// Id and flag of `--token`.
pub const TOKEN: &str = "token";
/// Id and flag of `--timeout`.
pub const TIMEOUT: &str = "timeout";
/// Id and flag of `--no-retry`.
pub const NO_RETRY: &str = "no-retry";
/// Id and flag of `--full`.
pub const FULL: &str = "full";
/// Id and flag of `--verbose`.
pub const VERBOSE: &str = "verbose";

/// The longest `--timeout` accepted: one day.
const MAX_TIMEOUT_SECS: f64 = 86_400.0;

const ABOUT: &str = "Calls Bitrix24 REST methods: every method the b24-rest specs describe, with \
                     its parameters checked by the SDK's types before anything is sent.";

/// `b24 --help`: the methods (as `before_help`) come before the options.
const ROOT_TEMPLATE: &str =
    "{about-with-newline}\n{usage-heading} {usage}\n\n{before-help}Options:\n{options}{after-help}";

/// The heading of `b24`'s own options; a method's parameters come first, under their own.
const OPTIONS: &str = "Options";

/// The whole command line: `b24 [OPTIONS] <METHOD> [PARAMETERS]`.
pub fn build(catalog: &'static Catalog) -> Command {
    Command::new("b24")
        .version(env!("CARGO_PKG_VERSION"))
        .about(ABOUT)
        .override_usage("b24 [OPTIONS] <METHOD> [PARAMETERS]")
        .before_help(method_list(catalog.methods()))
        .after_help(format!(
            "{}\n\nOutput: the result as pretty JSON on stdout (with --full, the whole answer); \
             on failure one line on stderr:\n  error: <method>: <error variant>: <description> \
             (HTTP <status>)\n\n{}",
            auth::HELP,
            exit::HELP
        ))
        .help_template(ROOT_TEMPLATE)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .subcommand_value_name("METHOD")
        .args(own_options())
        .subcommands(
            catalog
                .methods()
                .iter()
                .map(|method| method_command(catalog, method)),
        )
}

/// The methods by scope, with their summaries.
fn method_list(methods: &[MethodDef]) -> String {
    let width = methods.iter().map(|m| m.name.len()).max().unwrap_or(0);
    let mut text = String::from(
        "Methods, by scope (`b24 <METHOD> --help` shows a method's parameters and errors):",
    );
    let mut scope = None;
    for method in methods {
        if scope != Some(&method.scope) {
            scope = Some(&method.scope);
            text.push_str(&format!("\n  {}", method.scope));
        }
        text.push_str(&format!("\n    {:width$}  {}", method.name, method.summary));
    }
    text
}

/// `b24`'s own options, accepted before or after the method.
fn own_options() -> [Arg; 8] {
    [
        Arg::new(WEBHOOK)
            .long(WEBHOOK)
            .help_heading(OPTIONS)
            .value_name("URL")
            .global(true)
            .conflicts_with_all([PORTAL, TOKEN])
            .help("Inbound webhook URL, https://<portal>/rest/<user>/<code>/ [env: B24_WEBHOOK]"),
        Arg::new(PORTAL)
            .long(PORTAL)
            .help_heading(OPTIONS)
            .value_name("URL")
            .global(true)
            .help("Portal URL for an OAuth access token [env: B24_PORTAL]"),
        Arg::new(TOKEN)
            .long(TOKEN)
            .help_heading(OPTIONS)
            .value_name("TOKEN")
            .global(true)
            .help("OAuth access token [env: B24_ACCESS_TOKEN]"),
        Arg::new(TIMEOUT)
            .long(TIMEOUT)
            .help_heading(OPTIONS)
            .value_name("SECS")
            .global(true)
            .value_parser(timeout)
            .help("Seconds allowed for the whole call, retries included [default: 65 per attempt]"),
        Arg::new(NO_RETRY)
            .long(NO_RETRY)
            .help_heading(OPTIONS)
            .global(true)
            .action(ArgAction::SetTrue)
            .help("Send the request once: no retry, not even after a rate limit"),
        Arg::new(FULL)
            .long(FULL)
            .help_heading(OPTIONS)
            .global(true)
            .action(ArgAction::SetTrue)
            .help("Print the whole answer (result and time), not only the result"),
        Arg::new(VERBOSE)
            .short('v')
            .long(VERBOSE)
            .help_heading(OPTIONS)
            .global(true)
            .action(ArgAction::SetTrue)
            .help("Show the method, the portal, the request body and the time taken on stderr"),
        Arg::new("help")
            .short('h')
            .long("help")
            .help_heading(OPTIONS)
            .global(true)
            .action(ArgAction::Help)
            .help("Print help (--help shows more than -h)"),
    ]
}

/// `--timeout`: seconds, more than zero, at most a day.
fn timeout(text: &str) -> Result<Duration, String> {
    match text.parse::<f64>() {
        Ok(secs) if secs > 0.0 && secs <= MAX_TIMEOUT_SECS => Ok(Duration::from_secs_f64(secs)),
        _ => Err(format!(
            "expected seconds, more than 0 and at most {MAX_TIMEOUT_SECS}"
        )),
    }
}

/// The subcommand of one method.
fn method_command(catalog: &'static Catalog, method: &'static MethodDef) -> Command {
    let mut with_flags = format!("b24 {} [OPTIONS]", method.name);
    for param in method.params.iter().filter(|param| param.required) {
        let more = if param.list { "..." } else { "" };
        with_flags.push_str(&format!(" --{} <{}>{more}", param.flag, param.value_name));
    }
    let mut command = Command::new(method.name.as_str())
        .override_usage(format!(
            "{with_flags}\n       b24 {} [OPTIONS] --json <BODY>",
            method.name
        ))
        .about(method.summary.as_str())
        .long_about(long_about(method))
        .after_help(format!(
            "{}Run with --help for the values the parameters take and the method's errors.",
            example_text(catalog, method)
        ))
        .after_long_help(format!(
            "{}{}",
            example_text(catalog, method),
            after_long_help(catalog, method)
        ))
        .next_help_heading("Parameters");
    for param in &method.params {
        command = command.arg(param_arg(catalog, param));
    }
    if let Some(custom) = &method.custom {
        let parser = &custom.parser;
        command = command.arg(
            Arg::new(custom.flag.as_str())
                .long(custom.flag.as_str())
                .value_name(custom.value_name.as_str())
                .action(ArgAction::Append)
                .conflicts_with(JSON)
                .value_parser(move |text: &str| -> Result<(String, Value), String> {
                    let (key, value) = text
                        .split_once('=')
                        .ok_or("expected KEY=VALUE, e.g. UF_CRM_1=5")?;
                    if key.is_empty() {
                        return Err("the key before `=` is empty".to_owned());
                    }
                    Ok((key.to_owned(), catalog.parse(parser, value)?))
                })
                .help("Other keys the spec leaves open, KEY=VALUE; repeat for each")
                .long_help(format!(
                    "{} Give each as KEY=VALUE (the value as the type says, e.g. JSON) and \
                     repeat the flag for each key; keys of the named parameters are refused.",
                    custom.description
                )),
        );
    }
    command.next_help_heading(OPTIONS).arg(
        Arg::new(JSON)
            .long(JSON)
            .value_name("BODY")
            .help("The whole request as JSON instead of parameter flags: '<json>', @FILE, or - for stdin")
            .long_help(
                "The whole request as JSON instead of parameter flags: the JSON itself, @FILE to \
                 read it from a file, or - to read it from stdin. Keys are the wire names \
                 (e.g. {\"POST_ID\": 217}); unknown keys are refused.",
            ),
    )
}

fn param_arg(catalog: &'static Catalog, param: &'static ParamDef) -> Arg {
    let kind = format!(
        "{}, {}",
        param.ty,
        if param.required {
            "required"
        } else {
            "optional"
        }
    );
    let mut long = format!("{}: {kind}. {}", param.wire, param.description);
    if let Some(note) = &param.note {
        long.push_str(&format!("\n{note}"));
    }
    if param.list && param.merge.is_none() {
        long.push_str("\nA list: repeat the flag for each value.");
    }
    if let Some(default) = &param.default {
        long.push_str(&format!("\nDefault: {default}"));
    }
    if !param.obtain_from.is_empty() {
        long.push_str(&format!(
            "\nValid values come from {}.",
            param.obtain_from.join(", ")
        ));
    }
    let parser = &param.parser;
    let arg = Arg::new(param.flag.as_str())
        .long(param.flag.as_str())
        .value_name(param.value_name.as_str())
        .value_parser(move |text: &str| catalog.parse(parser, text))
        .action(if param.list {
            ArgAction::Append
        } else {
            ArgAction::Set
        })
        .conflicts_with(JSON)
        .help(format!("{} ({kind})", param.wire))
        .long_help(long);
    if param.required {
        arg.required_unless_present(JSON)
    } else {
        arg
    }
}

fn long_about(method: &MethodDef) -> String {
    let mut text = method.summary.clone();
    if let Some(description) = &method.description {
        text.push_str("\n\n");
        text.push_str(description);
    }
    text.push_str(&format!("\n\nWho may call it: {}", method.access));
    text.push_str(&format!(
        "\nResult: {} — {}",
        method.result_type, method.result
    ));
    let repeat = match (method.safe_to_repeat, method.repeat_note.as_deref()) {
        (true, None) => "Safe to repeat: yes.".to_owned(),
        (true, Some(note)) => format!("Safe to repeat: yes. {note}"),
        (false, Some(note)) => format!("Safe to repeat: no. {note}"),
        (false, None) => "Safe to repeat: no. After an ambiguous failure (timeout, connection \
                          lost after sending) it is never sent again automatically."
            .to_owned(),
    };
    text.push('\n');
    text.push_str(&repeat);
    if let Some(docs) = &method.docs {
        text.push_str(&format!("\nDocumentation: {docs}"));
    }
    text
}

/// The arguments after the method name that send the spec's first request example: its
/// parameters as flags where each value reads back the same through its flag's parser, else
/// the whole body as `--json`.
pub fn example_args(catalog: &Catalog, method: &MethodDef) -> Option<Vec<String>> {
    let example = method.example.as_deref()?;
    let body: Map<String, Value> = serde_json::from_str(example).ok()?;
    let as_flags = || {
        let mut args = Vec::new();
        let mut used = 0;
        for param in &method.params {
            let Some(value) = body.get(&param.wire) else {
                continue;
            };
            used += 1;
            let values = match (param.list, param.merge, value) {
                (false, _, value) => std::slice::from_ref(value),
                (true, None, Value::Array(values)) => values.as_slice(),
                _ => return None,
            };
            for value in values {
                let text = match value {
                    Value::String(text) => text.clone(),
                    Value::Number(number) => number.to_string(),
                    Value::Bool(flag) => flag.to_string(),
                    _ => return None,
                };
                if catalog.parse(&param.parser, &text).as_ref() != Ok(value) {
                    return None;
                }
                args.push(format!("--{}", param.flag));
                args.push(text);
            }
        }
        (used == body.len()).then_some(args)
    };
    Some(as_flags().unwrap_or_else(|| vec![format!("--{JSON}"), example.to_owned()]))
}

/// `Example:` and the command that sends the spec's first request example, or nothing.
fn example_text(catalog: &Catalog, method: &MethodDef) -> String {
    match example_args(catalog, method) {
        Some(args) => {
            let args: Vec<String> = args.iter().map(|arg| shell_quoted(arg)).collect();
            format!("Example:\n  b24 {} {}\n\n", method.name, args.join(" "))
        }
        None => String::new(),
    }
}

/// `text` as one word for a POSIX shell.
fn shell_quoted(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@=+,%".contains(c));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

fn after_long_help(catalog: &Catalog, method: &MethodDef) -> String {
    let mut sections = Vec::new();
    for value_type in catalog.value_types(method) {
        let width = value_type
            .forms
            .iter()
            .map(|form| form.syntax.len())
            .max()
            .unwrap_or(0);
        let mut text = format!("{} values: {}", value_type.name, value_type.summary);
        for form in &value_type.forms {
            text.push_str(&format!("\n  {:width$}  {}", form.syntax, form.description));
        }
        sections.push(text);
    }
    let width = method
        .errors
        .iter()
        .map(|row| row.name.len())
        .chain(["Unhandled".len()])
        .max()
        .unwrap_or(0);
    let mut errors = format!("Errors of {} (exit code 3):", method.name);
    for row in &method.errors {
        errors.push_str(&format!(
            "\n  {:width$}  HTTP {}  {} — {}",
            row.name, row.status, row.text, row.meaning
        ));
    }
    errors.push_str(&format!(
        "\n  {:width$}  any other error of the method, kept whole",
        "Unhandled"
    ));
    errors.push_str(
        "\nSystem errors (authentication, scope, limits, method not found, internal error) exit \
         with 4; transport and protocol failures with 5.",
    );
    sections.push(errors);
    sections.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> &'static Catalog {
        crate::catalog::get().unwrap_or_else(|problem| panic!("{problem}"))
    }

    #[test]
    fn the_command_tree_is_consistent() {
        // clap's own checks: unique ids and flags (a parameter flag that clashed with one of
        // b24's options would fail here), valid references in conflicts and requirements.
        build(catalog()).debug_assert();
    }

    #[test]
    fn every_method_is_a_subcommand_with_a_flag_per_parameter() {
        let command = build(catalog());
        assert!(!catalog().methods().is_empty());
        for method in catalog().methods() {
            let sub = command
                .find_subcommand(&method.name)
                .unwrap_or_else(|| panic!("{} has no subcommand", method.name));
            for param in &method.params {
                let arg = sub
                    .get_arguments()
                    .find(|arg| arg.get_long() == Some(param.flag.as_str()))
                    .unwrap_or_else(|| panic!("{}: no --{}", method.name, param.flag));
                assert!(
                    !own_options()
                        .iter()
                        .any(|own| own.get_long() == arg.get_long())
                );
            }
        }
    }

    #[test]
    fn examples_are_flags_where_each_value_reads_back_else_json() {
        let share = catalog().find("log.blogpost.share").expect("share");
        assert_eq!(
            example_args(catalog(), share).expect("share has an example"),
            ["--post-id", "217", "--dest", "SG69", "--dest", "DR4"]
        );
        // Every example of every method is one or the other.
        for method in catalog().methods() {
            if let Some(args) = example_args(catalog(), method) {
                assert!(args.len() >= 2 && args[0].starts_with("--"), "{args:?}");
            }
        }
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quoted("SG69"), "SG69");
        assert_eq!(shell_quoted("a b"), "'a b'");
        assert_eq!(shell_quoted("it's"), "'it'\\''s'");
        assert_eq!(shell_quoted(""), "''");
        assert_eq!(shell_quoted(r#"{"A":1}"#), r#"'{"A":1}'"#);
    }

    #[test]
    fn timeouts_are_positive_and_bounded() {
        assert_eq!(timeout("2.5"), Ok(Duration::from_millis(2500)));
        for bad in ["0", "-1", "abc", "NaN", "inf", "1e9"] {
            assert!(timeout(bad).is_err(), "{bad}");
        }
    }
}
