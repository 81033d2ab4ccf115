//! `cargo xtask import --check` on the checked-in tree: `spec/imported/` is what the docs
//! snapshot drafts to, byte for byte, and no curated spec's page changed under it.
//! README's coverage table is the report's.

#[test]
fn imported_specs_are_up_to_date() {
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let root = xtask::default_root();
    let code = xtask::run(
        ["import", "--check", "--root", &root.to_string_lossy()],
        &mut out,
        &mut err,
    );
    let out = String::from_utf8_lossy(&out);
    let err = String::from_utf8_lossy(&err);
    assert_eq!(
        code,
        xtask::EXIT_OK,
        "run `cargo xtask import`:\n{out}\n{err}"
    );
    assert!(out.contains("imported specs are up to date"), "{out}");
    assert!(err.contains("method pages:"), "{err}");
}

/// README's coverage table says what `spec/imported/REPORT.md` counts, row for row: the
/// README is written by hand, the report by the import, and a re-import must not leave the
/// README telling an older story.
#[test]
fn readme_coverage_is_the_report_s() {
    let root = xtask::default_root();
    let read = |path: &str| std::fs::read_to_string(root.join(path)).expect(path);
    let (readme, report) = (read("README.md"), read("spec/imported/REPORT.md"));
    // REPORT: module | method pages | current | current drafted | deprecated | fully | partly
    // | not | event pages | events not.
    let mut expected = Vec::new();
    for cells in table_rows(&report, "| module | method pages |") {
        let [
            module,
            pages,
            current,
            drafted,
            deprecated,
            fully,
            _,
            _,
            events,
            events_not,
        ] = cells.as_slice()
        else {
            panic!("a REPORT row of 10 cells: {cells:?}");
        };
        let events = match (events.parse::<u32>(), events_not.parse::<u32>()) {
            (Ok(0), _) => "—".to_owned(),
            (Ok(all), Ok(not)) => format!("{} of {all}", all - not),
            _ => panic!("event counts: {cells:?}"),
        };
        expected.push(vec![
            module.clone(),
            pages.clone(),
            current.clone(),
            drafted.clone(),
            fully.clone(),
            deprecated.clone(),
            events,
        ]);
    }
    let found = table_rows(&readme, "| module (cargo feature) |");
    assert!(!expected.is_empty(), "REPORT.md has its table");
    assert_eq!(
        found, expected,
        "README's coverage table differs from spec/imported/REPORT.md"
    );
}

/// The body rows of the markdown table whose header starts with `header`, as trimmed cells.
fn table_rows(text: &str, header: &str) -> Vec<Vec<String>> {
    text.lines()
        .skip_while(|line| !line.starts_with(header))
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            let inner = line.trim().trim_matches('|');
            inner
                .split('|')
                .map(|cell| cell.trim().to_owned())
                .collect()
        })
        .collect()
}
