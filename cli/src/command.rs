//! The `clap` command tree, built from the method catalogue: `b24`'s own options, one
//! subcommand per method with a flag per parameter and the spec's help text, and the commands
//! `call`, `help` and `completions`. Also what is done to the arguments before `clap` reads
//! them ([`normalize`]) and the "did you mean" of an unknown method ([`unknown_method`]).

use std::ffi::OsString;
use std::time::Duration;

use clap::{Arg, ArgAction, Command};
use serde_json::{Map, Value};

use crate::catalog::{Catalog, MethodDef, ParamDef};
use crate::{auth, exit};

/// Id and flag of a list method's option that reads every record (`--all`).
pub const ALL: &str = "all";
/// Id of the option that stops `--all` after so many records: `--limit`, or `--all-limit`
/// where a parameter of the method takes `--limit`.
pub const ALL_LIMIT: &str = "all-limit";

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
/// `b24 call <METHOD>`: any method by its wire name.
pub const CALL: &str = "call";
/// `b24 help [METHOD]`: as `--help`.
pub const HELP: &str = "help";
/// `b24 completions <SHELL>`: a shell completion script.
pub const COMPLETIONS: &str = "completions";
/// Id of the method name `call` and `help` take.
pub const METHOD: &str = "method";
/// Id of the shell `completions` takes.
pub const SHELL: &str = "shell";

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
    root()
        .before_help(method_list(catalog.methods()))
        .subcommands(
            catalog
                .methods()
                .iter()
                .map(|method| method_command(catalog, method)),
        )
}

/// The command line `args` need: when they name a method (and ask for no help or version
/// before it), `b24` and that method alone; else the whole of it, for the help, the
/// completions and an unknown name. A tree of every method is most of a run's start-up.
pub fn build_for(catalog: &'static Catalog, args: &[OsString]) -> Command {
    let named = command_position(args).and_then(|at| {
        let asks = args[1..at]
            .iter()
            .any(|arg| ["--help", "-h", "--version", "-V"].contains(&&*arg.to_string_lossy()));
        (!asks).then(|| catalog.find(&args[at].to_string_lossy()))?
    });
    match named {
        Some(method) => root().subcommand(method_command(catalog, method)),
        None => build(catalog),
    }
}

/// `b24` with its own options and commands, and no method.
fn root() -> Command {
    Command::new("b24")
        .version(env!("CARGO_PKG_VERSION"))
        .about(ABOUT)
        .override_usage("b24 [OPTIONS] <METHOD> [PARAMETERS]")
        .after_help(format!(
            "{}\n\nOutput: the result as the portal sent it, as pretty JSON on stdout (with \
             --full, the whole answer); on failure one line on stderr:\n  error: <method>: \
             <error variant>: <description> (HTTP <status>)\n  error: <method>: cannot connect \
             to <host> (<cause>)\n\n{}",
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
        .subcommands(commands())
}

/// The methods by scope, with their summaries.
fn method_list(methods: &[MethodDef]) -> String {
    let width = methods.iter().map(|m| m.name.len()).max().unwrap_or(0);
    let mut text = String::from(
        "Methods, by scope (`b24 help <METHOD>` shows a method's parameters and errors):",
    );
    let mut scope = None;
    for method in methods {
        if scope != Some(&method.scope) {
            scope = Some(&method.scope);
            text.push_str(&format!("\n  {}", method.scope));
        }
        text.push_str(&format!("\n    {:width$}  {}", method.name, method.summary));
    }
    text.push_str(COMMANDS);
    text
}

/// `b24 --help`'s list of the commands that are not methods.
const COMMANDS: &str = "\n\nOther commands:
  call <METHOD> [--json <BODY>]  Calls any method by its wire name, specified or not: the
                                 parameters as JSON, the result as JSON
  help [METHOD]                  This help, or a method's (as `b24 <METHOD> --help`)
  completions <SHELL>            Prints a completion script: bash, zsh, fish, powershell, elvish
Method names are matched without regard to case, as the portal does.";

/// The commands that are not methods: `call`, `help`, `completions`. No method is named like
/// one (a unit test checks).
fn commands() -> [Command; 3] {
    let method = Arg::new(METHOD).value_name("METHOD");
    [
        Command::new(CALL)
            .about("Calls any method by its wire name, specified or not")
            .long_about(
                "Calls any method by its wire name, specified or not, with the parameters as \
                 JSON (none without --json), and prints the result as the portal sent it. The \
                 client's policy, authentication and exit codes are those of a typed call; the \
                 method's errors are not typed (`Unhandled`, exit code 3). A call that may have \
                 run is never sent again automatically.",
            )
            .override_usage("b24 call [OPTIONS] <METHOD> [--json <BODY>]")
            .arg(
                method
                    .clone()
                    .required(true)
                    .help("The method's wire name, e.g. user.current"),
            )
            .arg(json_arg().help(
                "The parameters as a JSON object: '<json>', @FILE, or - for stdin; none if \
                 left out",
            )),
        Command::new(HELP)
            .about("Prints this help, or a method's (as --help)")
            .arg(method.help("The method whose help to print")),
        Command::new(COMPLETIONS)
            .about("Prints a shell completion script")
            .long_about(
                "Prints a completion script for the shell, with every method and its flags: \
                 e.g. `b24 completions bash > ~/.local/share/bash-completion/completions/b24`, \
                 or `b24 completions zsh > ~/.zfunc/_b24`.",
            )
            .arg(
                Arg::new(SHELL)
                    .value_name("SHELL")
                    .required(true)
                    .value_parser(clap::value_parser!(clap_complete::Shell))
                    .help("bash, zsh, fish, powershell or elvish"),
            ),
    ]
}

/// The arguments as the command tree reads them: a method named in another case becomes its
/// wire name (the portal matches names without regard to case), and `help [METHOD]` becomes
/// `[METHOD] --help`, so that both print the same.
pub fn normalize(mut args: Vec<OsString>, catalog: &Catalog) -> Vec<OsString> {
    let Some(at) = command_position(&args) else {
        return args;
    };
    if args[at] == HELP {
        args.remove(at);
        let named = args
            .get(at)
            .is_some_and(|arg| !arg.to_string_lossy().starts_with('-'));
        if named {
            canonical(&mut args[at], catalog);
        }
        args.insert(at + usize::from(named), "--help".into());
    } else {
        canonical(&mut args[at], catalog);
    }
    args
}

/// Where the command (a method, `call`, `help`, `completions`) is: the first argument after
/// the program that is neither one of `b24`'s options nor an option's value.
fn command_position(args: &[OsString]) -> Option<usize> {
    let valued: Vec<String> = own_options()
        .iter()
        .filter(|arg| arg.get_action().takes_values())
        .filter_map(|arg| arg.get_long().map(|long| format!("--{long}")))
        .collect();
    let mut at = 1;
    while let Some(arg) = args.get(at) {
        let arg = arg.to_string_lossy();
        if !arg.starts_with('-') {
            return Some(at);
        }
        at += if valued.iter().any(|flag| *flag == arg) {
            2
        } else {
            1
        };
    }
    None
}

fn canonical(arg: &mut OsString, catalog: &Catalog) {
    if let Some(method) = catalog.find(&arg.to_string_lossy()) {
        *arg = OsString::from(&method.name);
    }
}

/// The line for a method `b24` does not know: the closest names, if one is close enough to be
/// a typo, and where to look.
pub fn unknown_method(catalog: &Catalog, name: &str) -> String {
    let closest = closest(catalog, name);
    let hint = match closest.split_last() {
        None => String::new(),
        Some((only, [])) => format!("; did you mean `{only}`?"),
        Some((last, others)) => format!("; did you mean `{}` or `{last}`?", others.join("`, `")),
    };
    format!(
        "error: unknown method `{name}`{hint} (`b24 --help` lists the methods; `b24 call \
         <METHOD>` calls any method by name)"
    )
}

/// The fewest commands a typo of `name` could be: those at the smallest edit distance of its
/// wire name (ignoring case, as the portal does), if that is small for its length.
fn closest<'a>(catalog: &'a Catalog, name: &str) -> Vec<&'a str> {
    /// More than a few would be no suggestion.
    const MAX: usize = 3;
    let name = name.to_lowercase();
    let limit = (name.chars().count() / 3).max(2);
    let names = catalog
        .methods()
        .iter()
        .map(|method| method.name.as_str())
        .chain([CALL, HELP, COMPLETIONS]);
    let mut scored: Vec<(usize, &str)> = names
        .map(|candidate| {
            (
                strsim::levenshtein(&name, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= limit)
        .collect();
    scored.sort_unstable();
    let best = scored.first().map(|(distance, _)| *distance);
    scored
        .into_iter()
        .take_while(|(distance, _)| Some(*distance) == best)
        .take(MAX)
        .map(|(_, candidate)| candidate)
        .collect()
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
            .help("The whole call's deadline in seconds, retries and their waits included")
            .long_help(
                "The whole call's deadline in seconds, retries and their waits included. A \
                 retry whose wait would end past it is not made: the call ends with the \
                 portal's last answer (a rate limit exits 4: the call never ran). An attempt \
                 still unanswered at the deadline ends as a timeout that may have run (exit \
                 6). Without --timeout there is no deadline for the whole call; each attempt \
                 may take 65 s.",
            ),
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
            .help(
                "Show the method, the portal, the request body, each retry and its wait, and \
                 the time taken on stderr",
            ),
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
    let mut command = command.next_help_heading(OPTIONS);
    if catalog.read_all(&method.name).is_some() {
        command = read_all_args(command, method, catalog.walks_pages(&method.name));
    }
    command.arg(json_arg().long_help(
        "The whole request as JSON instead of parameter flags: the JSON itself, @FILE to read \
         it from a file, or - to read it from stdin. Keys are the wire names (e.g. \
         {\"POST_ID\": 217}); unknown keys are refused, and numbers may be written as text \
         (\"217\"), as the portal reads them.",
    ))
}

/// `--all` and its `--limit` (`--all-limit` where a parameter takes `--limit`).
fn read_all_args(command: Command, method: &MethodDef, walks_pages: bool) -> Command {
    let how = if walks_pages {
        "The pages are read one after the other, as the method pages (its offset, page \
         number or cursor moved for each), until a page the answer marks as the last, an empty \
         page, or one shorter than those before it."
    } else {
        "The SDK picks the fastest way the method allows (records past the last id, many \
         pages in each batch request) and never prints a record twice or misses one that \
         exists from start to end. Exit code 7 if the read had to stop to keep that promise \
         (the records printed are correct)."
    };
    let limit_flag = if method.params.iter().any(|param| param.flag == "limit") {
        ALL_LIMIT
    } else {
        "limit"
    };
    command
        .arg(
            Arg::new(ALL)
                .long(ALL)
                .action(ArgAction::SetTrue)
                .help("Read every matching record; print one JSON record a line")
                .long_help(format!(
                    "Read every record the request matches, however many pages, and print each \
                     as the portal sent it, one JSON object a line. {how}"
                )),
        )
        .arg(
            Arg::new(ALL_LIMIT)
                .long(limit_flag)
                .value_name("N")
                .requires(ALL)
                .value_parser(clap::value_parser!(u64))
                .help("With --all: stop after N records"),
        )
}

/// `--json`: the whole request as JSON.
fn json_arg() -> Arg {
    Arg::new(JSON)
        .long(JSON)
        .value_name("BODY")
        .help_heading(OPTIONS)
        .help(
            "The whole request as JSON instead of parameter flags: '<json>', @FILE, or - for \
             stdin",
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
            // A method whose example sends nothing (`profile`) is called by its name alone.
            let words: Vec<String> = std::iter::once(method.name.clone())
                .chain(args.iter().map(|arg| shell_quoted(arg)))
                .collect();
            format!("Example:\n  b24 {}\n\n", words.join(" "))
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
         with 4; transport and protocol failures with 5 when the call did not run (safe to send \
         again) and 6 when it may have run.",
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
        // Every example of every method is one or the other, or nothing where it sends
        // nothing.
        for method in catalog().methods() {
            if let Some(args) = example_args(catalog(), method) {
                let nothing =
                    args.is_empty() && method.example.as_deref().map(str::trim) == Some("{}");
                assert!(
                    nothing || (args.len() >= 2 && args[0].starts_with("--")),
                    "{}: {args:?}",
                    method.name
                );
            }
        }
        let profile = catalog().find("profile").expect("profile");
        assert_eq!(example_args(catalog(), profile), Some(Vec::new()));
    }

    #[test]
    fn a_named_method_builds_its_own_command_only() {
        let args = |list: &[&str]| -> Vec<OsString> { list.iter().map(OsString::from).collect() };
        let methods = |command: &Command| {
            command
                .get_subcommands()
                .filter(|sub| ![CALL, HELP, COMPLETIONS].contains(&sub.get_name()))
                .count()
        };
        let all = catalog().methods().len();
        let one = build_for(
            catalog(),
            &args(&["b24", "-v", "log.blogpost.share", "--help"]),
        );
        assert_eq!(methods(&one), 1);
        assert!(one.find_subcommand("log.blogpost.share").is_some());
        for whole in [
            &["b24", "--help", "log.blogpost.share"][..],
            &["b24", "no.such.method"],
            &["b24", "completions", "bash"],
            &["b24"],
        ] {
            assert_eq!(
                methods(&build_for(catalog(), &args(whole))),
                all,
                "{whole:?}"
            );
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

    fn normalized(args: &[&str]) -> Vec<String> {
        let args = std::iter::once("b24").chain(args.iter().copied());
        normalize(args.map(OsString::from).collect(), catalog())
            .into_iter()
            .skip(1)
            .map(|arg| arg.into_string().expect("UTF-8"))
            .collect()
    }

    #[test]
    fn methods_are_named_in_any_case_and_help_is_as_help() {
        let share = "log.blogpost.share";
        assert_eq!(
            normalized(&["LOG.BLOGPOST.SHARE", "--dest", "UA"]),
            [share, "--dest", "UA"]
        );
        // Options before the method are skipped, with their values; values after it are kept.
        assert_eq!(
            normalized(&[
                "--timeout",
                "5",
                "-v",
                "--webhook=x",
                "Log.Blogpost.Share",
                "LOG.BLOGPOST.GET"
            ]),
            [
                "--timeout",
                "5",
                "-v",
                "--webhook=x",
                share,
                "LOG.BLOGPOST.GET"
            ]
        );
        assert_eq!(normalized(&["--webhook", "help"]), ["--webhook", "help"]);
        assert_eq!(
            normalized(&["help", "LOG.blogpost.SHARE"]),
            [share, "--help"]
        );
        assert_eq!(normalized(&["-v", "help"]), ["-v", "--help"]);
        assert_eq!(normalized(&["help", "--full"]), ["--help", "--full"]);
        assert_eq!(normalized(&["no.such.method"]), ["no.such.method"]);
        assert_eq!(normalized(&[]), Vec::<String>::new());
    }

    #[test]
    fn a_typo_suggests_the_closest_method_only() {
        assert_eq!(
            closest(catalog(), "log.blogpost.shar"),
            ["log.blogpost.share"]
        );
        assert_eq!(
            closest(catalog(), "LOG.BLOGPOST.SHAER"),
            ["log.blogpost.share"]
        );
        assert_eq!(
            closest(catalog(), "log.blogpost.gett"),
            ["log.blogpost.get"]
        );
        assert_eq!(closest(catalog(), "cal"), ["call"]);
        assert!(closest(catalog(), "zzz.nothing.here").is_empty());
        let line = unknown_method(catalog(), "log.blogpost.shar");
        assert!(
            line.starts_with(
                "error: unknown method `log.blogpost.shar`; did you mean `log.blogpost.share`? ("
            ),
            "{line}"
        );
        assert!(!unknown_method(catalog(), "zzz.nothing.here").contains("did you mean"));
    }

    #[test]
    fn no_method_is_named_like_a_command() {
        for method in catalog().methods() {
            for command in [CALL, HELP, COMPLETIONS] {
                assert!(
                    !method.name.eq_ignore_ascii_case(command),
                    "{}",
                    method.name
                );
            }
        }
    }

    #[test]
    fn timeouts_are_positive_and_bounded() {
        assert_eq!(timeout("2.5"), Ok(Duration::from_millis(2500)));
        for bad in ["0", "-1", "abc", "NaN", "inf", "1e9"] {
            assert!(timeout(bad).is_err(), "{bad}");
        }
    }
}
