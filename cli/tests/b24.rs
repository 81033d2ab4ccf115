//! End-to-end tests of the `b24` binary against the SDK's local mock portal: what it prints,
//! how it exits, and what reaches the portal (or does not).

use std::net::TcpListener;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use b24_rest::log::{BlogpostGetRequest, BlogpostShareRequest};
use b24_rest::mock::{MockAnswer, MockAuth, MockPortal};
use serde_json::json;

/// No single run may take longer than this.
const RUN_LIMIT: Duration = Duration::from_secs(60);

/// A wrong webhook code, which must not be printed either.
const WRONG_CODE: &str = "wrongc0de4b24cli";

/// Environment variables that must not reach the binary from the test's own environment.
const CLEARED: &[&str] = &[
    "B24_WEBHOOK",
    "B24_PORTAL",
    "B24_ACCESS_TOKEN",
    "HTTP_PROXY",
    "http_proxy",
    "HTTPS_PROXY",
    "https_proxy",
    "ALL_PROXY",
    "all_proxy",
];

/// What one run of the binary did.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    /// Panics if either stream shows a secret.
    fn assert_no_secret(&self) {
        for secret in [
            MockPortal::WEBHOOK_CODE,
            MockPortal::ACCESS_TOKEN,
            WRONG_CODE,
        ] {
            assert!(
                !self.stdout.contains(secret) && !self.stderr.contains(secret),
                "`{secret}` was printed: {self:#?}"
            );
        }
    }
}

/// `b24` with a clean environment, the webhook of `portal` in `B24_WEBHOOK` (if given) and a
/// time limit.
fn b24(portal: Option<&MockPortal>) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_b24"));
    command.timeout(RUN_LIMIT);
    for name in CLEARED {
        command.env_remove(name);
    }
    if let Some(portal) = portal {
        command.env("B24_WEBHOOK", portal.webhook_url());
    }
    command
}

fn run(command: &mut Command) -> Run {
    let output = command.output().expect("b24 runs");
    let run = Run {
        code: output.status.code(),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    };
    run.assert_no_secret();
    run
}

const SHARE: &str = "log.blogpost.share";
const ADD: &str = "log.blogpost.add";
const GET: &str = "log.blogpost.get";

fn share_args() -> Vec<&'static str> {
    vec![SHARE, "--post-id", "217", "--dest", "SG69", "--dest", "DR4"]
}

#[test]
fn a_call_succeeds_and_prints_the_result() {
    let portal = MockPortal::start();
    let mut args = share_args();
    args.extend(["--user-id", "1"]);
    let done = run(b24(Some(&portal)).args(&args));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout, "true\n");
    assert_eq!(done.stderr, "");
    let calls = portal.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].method, SHARE);
    assert_eq!(
        calls[0].body,
        json!({"POST_ID": 217, "DEST": ["SG69", "DR4"], "USER_ID": 1})
    );

    // --full prints the whole answer, time included; the options may come first.
    let mut full = vec!["--full"];
    full.extend(share_args());
    let done = run(b24(Some(&portal)).args(&full));
    assert_eq!(done.code, Some(0), "{done:#?}");
    let answer: serde_json::Value = serde_json::from_str(&done.stdout).expect("JSON");
    assert_eq!(answer["result"], json!(true));
    assert!(answer["time"]["duration"].is_number(), "{answer}");
}

#[test]
fn json_comes_from_stdin_or_a_file() {
    let portal = MockPortal::start();
    let body = r#"{"POST_ID": 5, "DEST": ["UA"]}"#;
    let done = run(b24(Some(&portal))
        .args([SHARE, "--json", "-"])
        .write_stdin(body));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout, "true\n");

    let path = std::env::temp_dir().join(format!("b24-cli-test-{}.json", std::process::id()));
    std::fs::write(&path, r#"{"POST_ID": 6, "DEST": ["U1"]}"#).expect("write the body");
    let done = run(b24(Some(&portal)).args([SHARE, "--json", &format!("@{}", path.display())]));
    std::fs::remove_file(&path).expect("remove the body");
    assert_eq!(done.code, Some(0), "{done:#?}");

    let bodies: Vec<_> = portal.calls().into_iter().map(|call| call.body).collect();
    assert_eq!(
        bodies,
        [
            json!({"POST_ID": 5, "DEST": ["UA"]}),
            json!({"POST_ID": 6, "DEST": ["U1"]})
        ]
    );
}

#[test]
fn invalid_arguments_exit_2_and_send_nothing() {
    let portal = MockPortal::start();
    let cases: &[(&[&str], &str)] = &[
        (
            &[SHARE, "--post-id", "217", "--dest", "sg69"],
            "invalid Destination `sg69`",
        ),
        (
            &[SHARE, "--post-id", "abc", "--dest", "SG69"],
            "invalid value 'abc' for '--post-id <INTEGER>'",
        ),
        (&[SHARE, "--post-id", "217"], "--dest <DESTINATION>"),
        (
            &[
                SHARE,
                "--json",
                r#"{"POST_ID": 1, "DEST": ["SG1"], "TITLE": "x"}"#,
            ],
            "unknown field `TITLE`",
        ),
        (
            &[SHARE, "--json", r#"{"POST_ID": 1, "DEST": ["sg1"]}"#],
            "invalid Destination `sg1`",
        ),
        (&[SHARE, "--json", "{"], "not JSON"),
        (
            &[SHARE, "--json", "{}", "--post-id", "1"],
            "cannot be used with",
        ),
        (
            &["log.blogpost.shar"],
            "error: unknown method `log.blogpost.shar`; did you mean `log.blogpost.share`? (",
        ),
        (&["call"], "<METHOD>"),
    ];
    for (args, expected) in cases {
        let done = run(b24(Some(&portal)).args(*args));
        assert_eq!(done.code, Some(2), "{args:?}: {done:#?}");
        assert_eq!(done.stdout, "", "{args:?}");
        assert!(done.stderr.contains(expected), "{args:?}: {done:#?}");
    }
    assert_eq!(portal.calls(), [], "nothing may reach the portal");

    // A typo gets the one closest method, not every similar one.
    let done = run(b24(Some(&portal)).arg("log.blogpost.shar"));
    assert_eq!(done.stderr.matches("log.blogpost.").count(), 2, "{done:#?}");

    // Without credentials nothing can be sent either.
    let done = run(b24(None).args(share_args()));
    assert_eq!(done.code, Some(2), "{done:#?}");
    assert!(done.stderr.starts_with("error: no portal"), "{done:#?}");
}

#[test]
fn values_of_lenient_enums_are_checked_strictly_in_flags_and_json() {
    let portal = MockPortal::start();
    let cases: &[(&[&str], &str)] = &[
        // `YesNo` decodes any answer; what a caller sends must be one of its values.
        (
            &[ADD, "--post-message", "hello", "--important", "maybe"],
            "invalid YesNo `maybe`",
        ),
        (
            &[ADD, "--post-message", "hello", "--important", "y"],
            "did you mean `Y`?",
        ),
        (
            &[
                ADD,
                "--json",
                r#"{"POST_MESSAGE": "hello", "IMPORTANT": "maybe"}"#,
            ],
            "--json: IMPORTANT: invalid YesNo `maybe`",
        ),
        (
            &[SHARE, "--post-id", "217", "--dest", "sg69"],
            "did you mean `SG69`?",
        ),
        (
            &[
                SHARE,
                "--json",
                r#"{"POST_ID": "217", "DEST": ["UA", "dr4"]}"#,
            ],
            "--json: DEST: invalid Destination `dr4`: no form matches; expected one of SG<id>, U<id>, UA, DR<id>, UE<text>; did you mean `DR4`?",
        ),
    ];
    for (args, expected) in cases {
        let done = run(b24(Some(&portal)).args(*args));
        assert_eq!(done.code, Some(2), "{args:?}: {done:#?}");
        assert!(done.stderr.contains(expected), "{args:?}: {done:#?}");
    }
    assert_eq!(portal.calls(), [], "nothing may reach the portal");
}

#[test]
fn files_are_sent_from_paths_and_attachments_removed_by_id() {
    let portal = MockPortal::start();
    let path = std::env::temp_dir().join(format!("b24-cli-upload-{}.txt", std::process::id()));
    std::fs::write(&path, b"hello").expect("write the file");
    let file = path.to_str().expect("a UTF-8 path").to_owned();
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .expect("a name");

    let added = run(b24(Some(&portal)).args([
        "log.blogcomment.add",
        "--post-id",
        "1",
        "--text",
        "hi",
        "--files",
        &file,
    ]));
    let mixed = run(b24(Some(&portal)).args([
        "log.blogpost.update",
        "--post-id",
        "217",
        "--files",
        &file,
        "--files",
        "del:505",
    ]));
    std::fs::remove_file(&path).expect("remove the file");
    assert_eq!(added.code, Some(0), "{added:#?}");
    assert_eq!(mixed.code, Some(2), "{mixed:#?}");
    assert!(mixed.stderr.contains("not both"), "{mixed:#?}");

    let removed = run(b24(Some(&portal)).args([
        "log.blogpost.update",
        "--post-id",
        "217",
        "--files",
        "del:505",
        "--files",
        "del:506",
    ]));
    assert_eq!(removed.code, Some(0), "{removed:#?}");

    let bodies: Vec<_> = portal.calls().into_iter().map(|call| call.body).collect();
    assert_eq!(
        bodies,
        [
            json!({"POST_ID": 1, "TEXT": "hi", "FILES": [[name, "aGVsbG8="]]}),
            json!({"POST_ID": 217, "FILES": {"505": "del", "506": "del"}}),
        ]
    );
}

#[test]
fn open_parameters_are_given_as_key_value() {
    let portal = MockPortal::start();
    let done = run(b24(Some(&portal)).args([
        "log.blogpost.add",
        "--post-message",
        "hi",
        "--custom-fields",
        "UF_CRM_1=5",
        "--custom-fields",
        r#"UF_CRM_2="text""#,
    ]));
    assert_eq!(done.code, Some(0), "{done:#?}");
    for (args, expected) in [
        (
            ["--custom-fields", "POST_TITLE=\"x\""],
            "is a named parameter",
        ),
        (["--custom-fields", "UF_CRM_1"], "expected KEY=VALUE"),
        (["--custom-fields", "UF_CRM_1=not json"], "expected JSON"),
    ] {
        let done = run(b24(Some(&portal))
            .args(["log.blogpost.add", "--post-message", "hi"])
            .args(args));
        assert_eq!(done.code, Some(2), "{args:?}: {done:#?}");
        assert!(done.stderr.contains(expected), "{args:?}: {done:#?}");
    }
    let calls = portal.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!(
        calls[0].body,
        json!({"POST_MESSAGE": "hi", "UF_CRM_1": 5, "UF_CRM_2": "text"})
    );
}

#[test]
fn method_errors_exit_3_naming_the_typed_error() {
    let portal = MockPortal::start();
    portal.push(
        SHARE,
        MockAnswer::error_row::<BlogpostShareRequest>("NoReadPermission"),
    );
    let done = run(b24(Some(&portal)).args(share_args()));
    assert_eq!(done.code, Some(3), "{done:#?}");
    assert_eq!(done.stdout, "");
    assert_eq!(
        done.stderr,
        "error: log.blogpost.share: NoReadPermission: No read perms (HTTP 400)\n"
    );

    portal.push(
        SHARE,
        MockAnswer::error(400, "", "No permissions to share by this user (ID =15)"),
    );
    let done = run(b24(Some(&portal)).args(share_args()));
    assert_eq!(done.code, Some(3), "{done:#?}");
    assert_eq!(
        done.stderr,
        "error: log.blogpost.share: NoPermissionToShareAsUser: No permissions to share by this user (ID =15) (HTTP 400)\n"
    );

    portal.push(
        SHARE,
        MockAnswer::error(400, "SOMETHING_NEW", "A failure no table lists"),
    );
    let done = run(b24(Some(&portal)).args(share_args()));
    assert_eq!(done.code, Some(3), "{done:#?}");
    assert_eq!(
        done.stderr,
        "error: log.blogpost.share: Unhandled: SOMETHING_NEW: A failure no table lists (HTTP 400)\n"
    );
}

#[test]
fn system_errors_exit_4() {
    let portal = MockPortal::start();
    portal.push(SHARE, MockAnswer::system_error("insufficient_scope"));
    let done = run(b24(Some(&portal)).args(share_args()));
    assert_eq!(done.code, Some(4), "{done:#?}");
    assert!(
        done.stderr
            .starts_with("error: log.blogpost.share: InsufficientScope: insufficient_scope: "),
        "{done:#?}"
    );
    assert!(done.stderr.ends_with(" (HTTP 403)\n"), "{done:#?}");

    portal.push(
        SHARE,
        MockAnswer::error(404, "ERROR_METHOD_NOT_FOUND", "Method not found!"),
    );
    let done = run(b24(Some(&portal)).args(share_args()));
    assert_eq!(done.code, Some(4), "{done:#?}");
    assert_eq!(
        done.stderr,
        "error: log.blogpost.share: MethodNotFound: ERROR_METHOD_NOT_FOUND: Method not found! (HTTP 404)\n"
    );

    // A webhook code the portal does not know.
    let wrong = portal
        .webhook_url()
        .replace(MockPortal::WEBHOOK_CODE, WRONG_CODE);
    let done = run(b24(None).arg("--webhook").arg(&wrong).args(share_args()));
    assert_eq!(done.code, Some(4), "{done:#?}");
    assert!(done.stderr.contains(": NoAuthFound: "), "{done:#?}");
}

#[test]
fn answers_that_are_not_rest_json_may_have_run_and_exit_6() {
    let portal = MockPortal::start();
    let raw = |status, content_type: &str, body: &[u8]| MockAnswer::Raw {
        status,
        content_type: Some(content_type.into()),
        body: body.to_vec(),
    };
    let answers = [
        (
            raw(502, "text/html", b"<html><body>Bad gateway</body></html>"),
            "UnexpectedAnswer: ",
        ),
        (
            raw(200, "application/json", br#"{"result": tr"#),
            "UnexpectedAnswer: ",
        ),
        (
            raw(200, "text/html", b"<html>Welcome</html>"),
            "UnexpectedAnswer: ",
        ),
    ];
    for (answer, variant) in answers {
        portal.push(SHARE, answer);
        let done = run(b24(Some(&portal)).args(share_args()));
        assert_eq!(done.code, Some(6), "{done:#?}");
        let prefix = format!("error: log.blogpost.share: {variant}");
        assert!(done.stderr.starts_with(&prefix), "{done:#?}");
        assert!(
            done.stderr.ends_with("; the call may have run\n"),
            "{done:#?}"
        );
        assert_eq!(done.stderr.lines().count(), 1, "{done:#?}");
    }
    // share is not safe to repeat: each was sent once.
    assert_eq!(portal.call_count(SHARE), 3);
}

#[test]
fn a_connection_that_cannot_be_made_exits_5_naming_the_host() {
    // Nothing listens on the port.
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let url = format!(
        "http://127.0.0.1:{closed}/rest/1/{}/",
        MockPortal::WEBHOOK_CODE
    );
    let done = run(b24(None)
        .args(["--webhook", &url, "--no-retry"])
        .args(share_args()));
    assert_eq!(done.code, Some(5), "{done:#?}");
    assert_eq!(
        done.stderr,
        format!(
            "error: log.blogpost.share: cannot connect to 127.0.0.1:{closed} (connection refused)\n"
        )
    );
}

#[test]
fn timeouts_may_have_run_and_an_unsafe_method_is_never_sent_twice() {
    let portal = MockPortal::start();
    portal.push(SHARE, MockAnswer::Stall(Duration::from_secs(20)));
    let started = Instant::now();
    let done = run(b24(Some(&portal))
        .args(share_args())
        .args(["--timeout", "1"]));
    assert_eq!(done.code, Some(6), "{done:#?}");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "--timeout was ignored"
    );
    let host = portal.base_url().replace("http://", "");
    assert!(
        done.stderr.starts_with(&format!(
            "error: log.blogpost.share: timed out waiting for {host} ("
        )),
        "{done:#?}"
    );
    assert!(
        done.stderr.ends_with("; the call may have run\n"),
        "{done:#?}"
    );

    portal.push(SHARE, MockAnswer::Disconnect);
    let done = run(b24(Some(&portal)).args(share_args()));
    assert_eq!(done.code, Some(6), "{done:#?}");
    assert_eq!(
        portal.call_count(SHARE),
        2,
        "share is not safe to repeat: one call each time"
    );

    // A method that is safe to repeat is sent again after the same failure.
    portal.push(GET, MockAnswer::Disconnect);
    let done = run(b24(Some(&portal)).arg(GET));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(portal.call_count(GET), 2);
    let _: <BlogpostGetRequest as b24_rest::Method>::Output =
        serde_json::from_str(&done.stdout).expect("the printed result is the typed result");
}

#[test]
fn a_refusal_within_the_timeout_is_the_portal_s_answer() {
    let portal = MockPortal::start();
    // The wait for the budget's reset (60 s without `operating_reset_at`) would end past the
    // deadline: the refusal is the answer at once, and the call never ran.
    portal.push(SHARE, MockAnswer::system_error("OPERATION_TIME_LIMIT"));
    let started = Instant::now();
    let done = run(b24(Some(&portal))
        .args(share_args())
        .args(["--timeout", "5"]));
    assert_eq!(done.code, Some(4), "{done:#?}");
    assert!(started.elapsed() < Duration::from_secs(4), "{done:#?}");
    assert!(done.stderr.contains(": OperationTimeLimit: "), "{done:#?}");
    assert!(!done.stderr.contains("may have"), "{done:#?}");

    // Rate limited on every try: retried while the deadline allows, then the last refusal.
    portal.set_default(SHARE, MockAnswer::system_error("QUERY_LIMIT_EXCEEDED"));
    let started = Instant::now();
    let done = run(b24(Some(&portal))
        .args(share_args())
        .args(["--timeout", "1.5"]));
    assert_eq!(done.code, Some(4), "{done:#?}");
    assert!(started.elapsed() < Duration::from_secs(5), "{done:#?}");
    assert!(done.stderr.contains(": QueryLimitExceeded: "), "{done:#?}");
    assert!(!done.stderr.contains("may have"), "{done:#?}");
}

#[test]
fn verbose_shows_each_retry_as_it_happens() {
    let portal = MockPortal::start();
    portal.push(SHARE, MockAnswer::system_error("QUERY_LIMIT_EXCEEDED"));
    let done = run(b24(Some(&portal)).arg("-v").args(share_args()));
    assert_eq!(done.code, Some(0), "{done:#?}");
    let lines: Vec<&str> = done.stderr.lines().collect();
    let retry = lines
        .iter()
        .position(|line| line.starts_with("b24: log.blogpost.share: QUERY_LIMIT_EXCEEDED ("))
        .unwrap_or_else(|| panic!("no retry line: {done:#?}"));
    assert!(lines[retry].contains("): retry 1 of 5 in "), "{done:#?}");
    assert!(lines[retry].ends_with(" s"), "{done:#?}");
    // Before the call is answered, and only once.
    let answered = lines
        .iter()
        .position(|line| line.contains("answered in"))
        .expect("the time taken");
    assert!(retry < answered, "{done:#?}");
    assert_eq!(done.stderr.matches("QUERY_LIMIT_EXCEEDED (").count(), 1);

    // Without -v, nothing.
    portal.push(SHARE, MockAnswer::system_error("QUERY_LIMIT_EXCEEDED"));
    let done = run(b24(Some(&portal)).args(share_args()));
    assert_eq!(
        (done.code, done.stderr.as_str()),
        (Some(0), ""),
        "{done:#?}"
    );
}

#[test]
fn the_result_is_printed_as_the_portal_sent_it() {
    let portal = MockPortal::start();
    let post = json!({
        "ID": "217", "AUTHOR_ID": "1", "TITLE": "Hello", "DATE_PUBLISH": "2026-03-18T09:21:18+02:00",
        "A_KEY_NO_SPEC_LISTS": {"nested": [1, "2", 3.5]}
    });
    let time = json!({"start": 1773814878, "finish": 1773814878.25, "duration": 0.25});
    portal.push(
        GET,
        MockAnswer::json(200, json!({"result": [post], "time": time, "total": 1})),
    );
    let done = run(b24(Some(&portal)).args([GET, "--full"]));
    assert_eq!(done.code, Some(0), "{done:#?}");
    let printed: serde_json::Value = serde_json::from_str(&done.stdout).expect("JSON");
    assert_eq!(printed["result"], json!([post]));
    assert!(
        done.stdout.contains("\"AUTHOR_ID\": \"1\""),
        "{}",
        done.stdout
    );
    assert_eq!(printed["total"], json!(1));
    // Whole times stay integers (`1773814878`, not `1773814878.0`).
    assert!(printed["time"]["start"].is_u64(), "{}", done.stdout);
    assert_eq!(printed["time"]["start"], json!(1773814878));
    assert_eq!(printed["time"]["finish"], json!(1773814878.25));
}

#[test]
fn json_numbers_may_be_text_as_the_portal_reads_them() {
    let portal = MockPortal::start();
    let done = run(b24(Some(&portal)).args([
        SHARE,
        "--json",
        r#"{"POST_ID": "217", "DEST": ["SG69"], "USER_ID": "1"}"#,
    ]));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(
        portal.calls()[0].body,
        json!({"POST_ID": 217, "DEST": ["SG69"], "USER_ID": 1})
    );
}

#[test]
fn method_names_are_matched_without_regard_to_case() {
    let portal = MockPortal::start();
    let done =
        run(b24(Some(&portal)).args(["LOG.BLOGPOST.SHARE", "--post-id", "217", "--dest", "UA"]));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(portal.calls()[0].method, SHARE);
}

#[test]
fn any_method_is_called_by_name() {
    let portal = MockPortal::start();
    let me = json!({"ID": "1", "NAME": "Ann", "ADMIN": true});
    portal.push("user.current", MockAnswer::json(200, json!({"result": me})));
    let done = run(b24(Some(&portal)).args(["call", "user.current"]));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&done.stdout).unwrap(),
        me
    );
    assert_eq!(portal.calls()[0].method, "user.current");
    assert_eq!(portal.calls()[0].body, json!({}));

    // Parameters as JSON, from stdin too; a specified method works the same, untyped.
    portal.push("user.get", MockAnswer::json(200, json!({"result": []})));
    let done = run(b24(Some(&portal))
        .args(["call", "user.get", "--json", "-"])
        .write_stdin(r#"{"FILTER": {"ACTIVE": "Y"}}"#));
    assert_eq!(
        (done.code, done.stdout.as_str()),
        (Some(0), "[]\n"),
        "{done:#?}"
    );
    assert_eq!(portal.calls()[1].body, json!({"FILTER": {"ACTIVE": "Y"}}));
    let done = run(b24(Some(&portal)).args([
        "-v",
        "call",
        SHARE,
        "--json",
        r#"{"POST_ID": 1, "DEST": ["UA"]}"#,
    ]));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert!(
        done.stderr.contains("b24: calling log.blogpost.share on "),
        "{done:#?}"
    );

    // Exit codes as for typed calls.
    portal.push(
        "user.current",
        MockAnswer::error(400, "SOME_ERROR", "Something odd"),
    );
    let done = run(b24(Some(&portal)).args(["call", "user.current"]));
    assert_eq!(done.code, Some(3), "{done:#?}");
    assert_eq!(
        done.stderr,
        "error: user.current: Unhandled: SOME_ERROR: Something odd (HTTP 400)\n"
    );
    portal.push(
        "user.current",
        MockAnswer::system_error("insufficient_scope"),
    );
    let done = run(b24(Some(&portal)).args(["call", "user.current"]));
    assert_eq!(done.code, Some(4), "{done:#?}");
    let done = run(b24(Some(&portal)).args(["call", "user.current", "--json", "[1]"]));
    assert_eq!(done.code, Some(2), "{done:#?}");
    assert!(done.stderr.contains("JSON object"), "{done:#?}");
}

#[test]
fn help_and_completions() {
    let long = run(b24(None).args([SHARE, "--help"])).stdout;
    for args in [["help", SHARE], ["help", "LOG.BLOGPOST.SHARE"]] {
        let done = run(b24(None).args(args));
        assert_eq!(done.code, Some(0), "{done:#?}");
        assert_eq!(done.stdout, long);
    }
    let done = run(b24(None).arg("help"));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout, run(b24(None).arg("--help")).stdout);

    let done = run(b24(None).args(["completions", "bash"]));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert!(done.stdout.contains("complete -F _b24"), "{}", done.stdout);
    assert!(done.stdout.contains(SHARE), "{}", done.stdout);
    let done = run(b24(None).args(["completions", "cmd"]));
    assert_eq!(done.code, Some(2), "{done:#?}");
}

#[test]
fn rate_limits_are_retried_unless_no_retry() {
    let portal = MockPortal::start();
    portal.push(SHARE, MockAnswer::system_error("QUERY_LIMIT_EXCEEDED"));
    let done = run(b24(Some(&portal)).args(share_args()));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(portal.call_count(SHARE), 2);

    portal.push(SHARE, MockAnswer::system_error("QUERY_LIMIT_EXCEEDED"));
    let done = run(b24(Some(&portal)).args(share_args()).arg("--no-retry"));
    assert_eq!(done.code, Some(4), "{done:#?}");
    assert!(done.stderr.contains(": QueryLimitExceeded: "), "{done:#?}");
    assert_eq!(portal.call_count(SHARE), 3);
}

#[test]
fn oauth_credentials_come_from_flags_or_the_environment() {
    let portal = MockPortal::start();
    let done = run(b24(None)
        .env("B24_PORTAL", portal.base_url())
        .env("B24_ACCESS_TOKEN", MockPortal::ACCESS_TOKEN)
        .args(share_args()));
    assert_eq!(done.code, Some(0), "{done:#?}");
    let done = run(b24(None)
        .args(["--portal", &portal.base_url()])
        .args(["--token", MockPortal::ACCESS_TOKEN])
        .args(share_args()));
    assert_eq!(done.code, Some(0), "{done:#?}");
    let calls = portal.calls();
    assert_eq!(calls.len(), 2);
    for call in calls {
        assert_eq!(
            call.auth,
            MockAuth::OAuth {
                token: MockPortal::ACCESS_TOKEN.into()
            }
        );
    }

    // An expired token is an authentication failure: exit 4.
    portal.expire_token(MockPortal::ACCESS_TOKEN);
    let done = run(b24(None)
        .args(["--portal", &portal.base_url()])
        .args(["--token", MockPortal::ACCESS_TOKEN])
        .args(share_args()));
    assert_eq!(done.code, Some(4), "{done:#?}");
    assert!(done.stderr.contains(": ExpiredToken: "), "{done:#?}");
}

#[test]
fn no_secret_in_any_output() {
    let portal = MockPortal::start();
    let webhook = portal.webhook_url();
    let wrong = webhook.replace(MockPortal::WEBHOOK_CODE, WRONG_CODE);
    portal.push(
        SHARE,
        MockAnswer::error_row::<BlogpostShareRequest>("WrongPostId"),
    );
    let runs = [
        // Verbose failure and success, by webhook and by token.
        run(b24(Some(&portal)).arg("--verbose").args(share_args())),
        run(b24(Some(&portal)).arg("-v").args(share_args())),
        run(b24(None)
            .args(["--verbose", "--portal", &portal.base_url()])
            .args(["--token", MockPortal::ACCESS_TOKEN])
            .args(share_args())),
        run(b24(None)
            .args(["--verbose", "--webhook", &wrong])
            .args(share_args())),
        // Usage errors that quote what they were given.
        run(b24(None)
            .args(["--webhook", &format!("{webhook}extra/")])
            .args(share_args())),
        run(b24(None)
            .args(["--webhook", &webhook.replace("http://", "http://user:pw@")])
            .args(share_args())),
        run(b24(Some(&portal)).args([SHARE, &webhook])),
        run(b24(None).args([&format!("--token={}", MockPortal::ACCESS_TOKEN), "--portal"])),
    ];
    // `run` checked every stream; the verbose ones did say where the call went.
    assert!(
        runs[0]
            .stderr
            .contains("b24: calling log.blogpost.share on http://127.0.0.1:")
    );
    assert!(runs[0].stderr.contains("request body {\"POST_ID\":217"));
    assert!(runs[0].stderr.contains("answered in"));
    assert_eq!(runs[0].code, Some(3), "{:#?}", runs[0]);
    assert_eq!(runs[1].code, Some(0), "{:#?}", runs[1]);
    assert_eq!(runs[2].code, Some(0), "{:#?}", runs[2]);
    assert_eq!(runs[3].code, Some(4), "{:#?}", runs[3]);
    for usage in &runs[4..] {
        assert_eq!(usage.code, Some(2), "{usage:#?}");
    }

    // A raw call, a retry line and a connection that cannot be made, all verbose.
    portal.push(SHARE, MockAnswer::system_error("QUERY_LIMIT_EXCEEDED"));
    let retried = run(b24(Some(&portal)).arg("-v").args(share_args()));
    assert!(retried.stderr.contains("retry 1 of"), "{retried:#?}");
    let raw = run(b24(None)
        .args(["-v", "--webhook", &wrong])
        .args(["call", "user.current"]));
    assert_eq!(raw.code, Some(4), "{raw:#?}");
    let closed = {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let unreachable = run(b24(None)
        .args(["-v", "--no-retry", "--webhook"])
        .arg(format!("http://127.0.0.1:{closed}/rest/1/{WRONG_CODE}/"))
        .args(share_args()));
    assert_eq!(unreachable.code, Some(5), "{unreachable:#?}");
}

/// `b24 <method> <args>` against `portal`, run in this process: what the binary's `main`
/// does, without starting a process (and parsing every catalogue again) per method.
fn run_inside(portal: &MockPortal, method: &str, args: &[String]) -> Run {
    let argv = ["b24", method]
        .into_iter()
        .map(String::from)
        .chain(args.iter().cloned())
        .map(std::ffi::OsString::from)
        .collect();
    let webhook = portal.webhook_url();
    let env = |name: &str| (name == "B24_WEBHOOK").then(|| webhook.clone());
    let outcome = b24_cli::cli(argv, &env, &mut std::io::empty(), &|_| {});
    let run = Run {
        code: Some(i32::from(outcome.exit.code())),
        stdout: outcome.stdout,
        stderr: outcome.stderr.join("\n"),
    };
    run.assert_no_secret();
    run
}

#[test]
fn every_method_sends_its_spec_example() {
    let portal = MockPortal::start();
    let catalog = b24_cli::catalog::get().unwrap_or_else(|problem| panic!("{problem}"));
    let cases: Vec<_> = catalog
        .methods()
        .iter()
        .filter_map(|method| {
            let example = method.example.as_deref()?;
            let args = b24_cli::command::example_args(catalog, method)?;
            Some((method, example, args))
        })
        .collect();
    assert!(cases.len() > 1000, "only {} request examples", cases.len());
    // One `b24` process per method, a few at a time. A REST 3.0 twin (`tasks.task.get.v3`)
    // calls the same wire name as its classic method, so both go to one worker, one after
    // the other, and each run's call is the one its wire name's count grew by.
    let wire = |name: &str| name.strip_suffix(".v3").unwrap_or(name).to_owned();
    let unanswered = std::sync::atomic::AtomicUsize::new(0);
    let workers = 4;
    std::thread::scope(|scope| {
        for worker in 0..workers {
            let (cases, portal, unanswered) = (&cases, &portal, &unanswered);
            let mine = move |name: &str| {
                wire(name).bytes().map(usize::from).sum::<usize>() % workers == worker
            };
            scope.spawn(move || {
                for (method, example, args) in cases.iter().filter(|case| mine(&case.0.name)) {
                    let name = wire(&method.name);
                    let before = portal.call_count(&name);
                    let done = run_inside(portal, &method.name, args);
                    // The portal answers with the spec's first success example; a method whose
                    // page shows none is unknown to it, but the request must be sent all the same.
                    if done.code != Some(0) {
                        assert!(
                            done.code == Some(4) && done.stderr.contains("ERROR_METHOD_NOT_FOUND"),
                            "{} {args:?}: {done:#?}",
                            method.name
                        );
                        unanswered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    } else {
                        assert!(!done.stdout.is_empty(), "{}", method.name);
                    }
                    let sent: serde_json::Value =
                        serde_json::from_str(example).expect("the example is JSON");
                    let calls: Vec<_> = portal
                        .calls()
                        .into_iter()
                        .filter(|call| call.method == name && call.authorized)
                        .skip(before)
                        .collect();
                    assert_eq!(calls.len(), 1, "{}", method.name);
                    assert_eq!(calls[0].body, sent, "{} {args:?}", method.name);
                }
            });
        }
    });
    let unanswered = unanswered.into_inner();
    assert!(
        unanswered * 5 < cases.len(),
        "{unanswered} of {} unanswered",
        cases.len()
    );
}

#[test]
fn the_help_of_a_method_is_its_spec() {
    let done = run(b24(None).args([SHARE, "--help"]));
    assert_eq!(done.code, Some(0), "{done:#?}");
    for expected in [
        "Adds new recipients to a news feed message.",
        "Who may call it: Administrator or message author.",
        "Result: boolean",
        "Safe to repeat: no.",
        "Usage: b24 log.blogpost.share [OPTIONS] --post-id <INTEGER> --dest <DESTINATION>...",
        "--post-id <INTEGER>",
        "POST_ID: integer, required. Identifier of the message.",
        "DEST: Destination[], required.",
        "A list: repeat the flag for each value.",
        "USER_ID: integer, optional.",
        "Default: The current user who initiated the method call.",
        "--json <BODY>",
        "Example:\n  b24 log.blogpost.share --post-id 217 --dest SG69 --dest DR4\n",
        "Destination values: A recipient of a news feed message.",
        "SG<id>",
        "Workgroups and projects with the identifier `X`.",
        "UA        All authorized users.",
        "Errors of log.blogpost.share (exit code 3):",
        "NoReadPermission",
        "No read perms",
    ] {
        assert!(
            done.stdout.contains(expected),
            "missing {expected:?}:\n{}",
            done.stdout
        );
    }
}

#[test]
fn the_help_lists_methods_by_scope_and_exit_codes() {
    let done = run(b24(None).arg("--help"));
    assert_eq!(done.code, Some(0), "{done:#?}");
    let lines: Vec<&str> = done.stdout.lines().collect();
    let scope = lines
        .iter()
        .position(|line| *line == "  log")
        .expect("the log scope is listed");
    assert!(
        lines[scope + 1..]
            .iter()
            .take_while(|line| line.starts_with("    "))
            .any(|line| line.starts_with("    log.blogpost.share ")
                && line.ends_with("Adds new recipients to a news feed message.")),
        "{}",
        done.stdout
    );
    for code in [
        "  2  usage error",
        "  3  the method's own error",
        "  4  a system error",
        "  5  transport or protocol, and the call did not run",
        "  6  transport or protocol, and the call may have run",
        "call <METHOD>",
        "completions <SHELL>",
        "B24_WEBHOOK",
        "B24_ACCESS_TOKEN",
    ] {
        assert!(
            done.stdout.contains(code),
            "missing {code:?}:\n{}",
            done.stdout
        );
    }

    // Without a method the help goes to stderr, as a usage error.
    let done = run(&mut b24(None));
    assert_eq!(done.code, Some(2), "{done:#?}");
    assert!(done.stderr.contains("log.blogpost.share"), "{done:#?}");
}

#[test]
fn all_prints_every_record_once_one_json_line_each() {
    let portal = MockPortal::start();
    let posts = (1..=120)
        .map(|id| json!({"ID": id.to_string(), "TITLE": format!("Post {id}"), "BLOG_ID": "3"}))
        .collect();
    portal.list_data_of::<BlogpostGetRequest>(posts);

    let done = run(b24(Some(&portal)).args(["log.blogpost.get", "--all"]));
    assert_eq!(done.code, Some(0), "{done:#?}");
    let lines: Vec<serde_json::Value> = done
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON record a line"))
        .collect();
    assert_eq!(lines.len(), 120);
    for (i, record) in lines.iter().enumerate() {
        // As the portal sent it: the id stays a string.
        assert_eq!(record["ID"], json!((i + 1).to_string()), "{record}");
    }
    // 120 records at 50 a page: three pages, in one `batch` request.
    assert_eq!(portal.requests(), 1);
    assert_eq!(portal.calls()[0].method, "batch");

    // The method's own `LIMIT` parameter keeps `--limit`: the reader's limit is `--all-limit`.
    let done = run(b24(Some(&portal)).args(["log.blogpost.get", "--all", "--all-limit", "7"]));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout.lines().count(), 7, "{done:#?}");

    // Without `--all`, `--all-limit` is refused; on a method that is not a list, `--all` is.
    let done = run(b24(Some(&portal)).args(["log.blogpost.get", "--all-limit", "7"]));
    assert_eq!(done.code, Some(2), "{done:#?}");
    let mut args = share_args();
    args.push("--all");
    let done = run(b24(Some(&portal)).args(&args));
    assert_eq!(done.code, Some(2), "{done:#?}");
}

/// A list method with no reader of whole lists (`im.dialog.users.list` pages by `OFFSET`):
/// `--all` walks its pages, printing each record as sent, and `--limit` stops it early.
#[test]
fn all_walks_the_pages_of_any_list_method() {
    let portal = MockPortal::start();
    portal.respond_with("im.dialog.users.list", |call| {
        let offset = call
            .body
            .get("OFFSET")
            .and_then(|v| v.as_u64())
            .unwrap_or(0);
        let users: Vec<_> = (offset..(offset + 20).min(45))
            .map(|id| json!({"id": (id + 1).to_string(), "name": format!("User {}", id + 1)}))
            .collect();
        MockAnswer::json(200, json!({"result": users}))
    });
    let done =
        run(b24(Some(&portal)).args(["im.dialog.users.list", "--dialog-id", "chat17", "--all"]));
    assert_eq!(done.code, Some(0), "{done:#?}");
    let ids: Vec<serde_json::Value> = done
        .stdout
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).expect("JSON")["id"].clone())
        .collect();
    // As the portal sent them: the ids stay strings.
    let want: Vec<_> = (1..=45).map(|id| json!(id.to_string())).collect();
    assert_eq!(ids, want);
    let offsets: Vec<_> = portal
        .calls()
        .iter()
        .map(|c| c.body.get("OFFSET").cloned())
        .collect();
    assert_eq!(offsets, [None, Some(json!(20)), Some(json!(40))]);

    let done = run(b24(Some(&portal)).args([
        "im.dialog.users.list",
        "--dialog-id",
        "chat17",
        "--all",
        "--all-limit",
        "25",
    ]));
    assert_eq!(done.code, Some(0), "{done:#?}");
    assert_eq!(done.stdout.lines().count(), 25, "{done:#?}");
    assert_eq!(portal.calls().len(), 5, "two pages for 25 records");
}

#[test]
fn all_stops_with_exit_7_when_a_record_has_no_id() {
    let portal = MockPortal::start();
    let mut posts: Vec<serde_json::Value> = (1..=60)
        .map(|id| json!({"ID": id.to_string(), "TITLE": format!("Post {id}")}))
        .collect();
    posts[55] = json!({"TITLE": "no id"});
    portal.list_data_of::<BlogpostGetRequest>(posts);
    let done = run(b24(Some(&portal)).args(["log.blogpost.get", "--all"]));
    assert_eq!(done.code, Some(7), "{done:#?}");
    assert!(done.stderr.contains("log.blogpost.get"), "{done:#?}");
}
