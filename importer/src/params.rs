//! Parameter tables: layouts, rows (name, star, type words, description, enum bullets,
//! default) and the sub-tables that describe a parameter's fields.
//!
//! The same reader serves the method parameters, the "Returned Data" tables (`result`'s
//! fields) and the fields of an event payload: all three are `name/type | description`
//! tables with sub-tables under H3/H4 headings named after the parameter they detail.

use crate::blocks::{Block, Ctx, Scan};
use crate::inline::{bold_name, code_spans, default_of, enum_values, link_targets, strip_markup};
use crate::model::{
    Column, EnumValue, Extra, Layout, Nested, Note, NoteReason, Param, ParamTable, TypeRef,
};
use crate::source::Doc;
use crate::table::{Row, Table, clip};

/// Words that make a header cell the name column (`Name`, `Parameter`, `Field`, …).
const NAME_WORDS: [&str; 11] = [
    "name",
    "title",
    "parameter",
    "parameters",
    "param",
    "field",
    "fields",
    "key",
    "property",
    "option",
    "element",
];

/// Which part of a page an area is.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Area {
    /// H2 sections about parameters (`Method Parameters`, `Parameters`, …).
    Params,
    /// "Returned Data", as an H2 or as an H3 inside the response section.
    Returned,
    /// An event page's payload sections (`What the Handler Receives`, `Parameters`).
    EventFields,
}

impl Area {
    /// `true` for a heading (lower case) that starts this area.
    fn starts_at(self, heading: &str) -> bool {
        match self {
            Area::Params => heading.contains("parameter") && !heading.contains("returned"),
            Area::Returned => heading.contains("returned"),
            Area::EventFields => {
                heading.contains("handler receives")
                    || heading.contains("parameter")
                    || heading.contains("fields")
            }
        }
    }

    /// Whether an H3 can start the area (only "Returned Data" sits below the H2 level).
    fn at_h3(self) -> bool {
        self == Area::Returned
    }
}

/// Where a table sits in an area: directly under its heading, or under a sub-heading.
struct Place {
    /// The area's H2 text, as written.
    section: String,
    /// The sub-heading's index, for sub-tables.
    sub: Option<usize>,
}

/// Reads the tables of an area, links sub-tables to the parameters they detail, and
/// returns them with the notes met.
pub(crate) fn read_area(doc: &Doc, scan: &Scan, area: Area) -> (Vec<ParamTable>, Vec<Note>) {
    let mut tables: Vec<ParamTable> = Vec::new();
    let mut notes = Vec::new();
    let mut firsts: Vec<String> = Vec::new();
    for item in &scan.items {
        let Block::Table(table) = &item.block else {
            continue;
        };
        let Some(place) = place(scan, &item.ctx, area) else {
            continue;
        };
        let first = place.sub.is_none() && !firsts.contains(&place.section);
        let later_section = first && !firsts.is_empty();
        if first {
            firsts.push(place.section.clone());
        }
        let read = read_table(doc, scan, table, &item.ctx, &place, &mut notes);
        let Some(mut t) = read else { continue };
        t.first_in_section = first;
        if place.sub.is_some() {
            t.parent = find_parent(&t, &tables);
            if t.parent.is_none() {
                let detail = format!(
                    "no parameter is named in `{}`",
                    t.heading.as_deref().unwrap_or("")
                );
                notes.push(note(
                    doc,
                    table.start,
                    NoteReason::UnmatchedSubTable,
                    detail,
                ));
            }
        } else if later_section {
            section_parent(scan, &item.ctx, &mut t, &tables);
        }
        tables.push(t);
    }
    link_nested(&mut tables, scan);
    (tables, notes)
}

/// A later H2 of the area named after a parameter (`## Parameter fields {#fields}`)
/// details that parameter, as a sub-table would.
fn section_parent(scan: &Scan, ctx: &Ctx, table: &mut ParamTable, earlier: &[ParamTable]) {
    let Some(h2) = ctx.h2.map(|h| &scan.headings[h]) else {
        return;
    };
    let probe = ParamTable {
        heading: Some(h2.text.clone()),
        anchor: h2.anchor.clone(),
        ..table.clone()
    };
    if let Some(parent) = find_parent(&probe, earlier) {
        table.parent = Some(parent);
        table.heading = probe.heading;
        table.anchor = probe.anchor;
    }
}

/// The place of a block in the area, if it is in it.
fn place(scan: &Scan, ctx: &Ctx, area: Area) -> Option<Place> {
    let h2 = ctx.h2.map(|h| &scan.headings[h]);
    let section = h2.map(|h| h.text.clone()).unwrap_or_default();
    if h2.is_some_and(|h| area.starts_at(&h.text.to_lowercase())) {
        return Some(Place {
            section,
            sub: ctx.sub,
        });
    }
    let h3 = ctx.h3.filter(|_| area.at_h3())?;
    if !area.starts_at(&scan.headings[h3].text.to_lowercase()) {
        return None;
    }
    Some(Place {
        section,
        sub: ctx.sub.filter(|&s| s != h3),
    })
}

/// Reads one table of the area; a table of another shape is a note.
fn read_table(
    doc: &Doc,
    scan: &Scan,
    table: &Table,
    ctx: &Ctx,
    place: &Place,
    notes: &mut Vec<Note>,
) -> Option<ParamTable> {
    let Some((layout, skip)) = layout(table) else {
        let first = table.rows.first().map(row_text).unwrap_or_default();
        let detail = format!("not a parameter table: {}", clip(&first));
        notes.push(note(
            doc,
            table.start,
            NoteReason::UnknownTableLayout,
            detail,
        ));
        return None;
    };
    let sub = place.sub.map(|s| &scan.headings[s]);
    let rows = table.rows[skip..]
        .iter()
        .filter(|r| r.cells.iter().any(|c| !c.text.is_empty()))
        .filter_map(|r| param(doc, r, &layout, notes))
        .collect();
    Some(ParamTable {
        section: place.section.clone(),
        heading: sub.map(|h| h.text.clone()),
        anchor: sub.and_then(|h| h.anchor.clone()),
        tab: ctx.tab.clone(),
        parent: None,
        first_in_section: false,
        layout,
        rows,
        loc: doc.loc(table.start),
    })
}

/// A row's cells joined, for notes.
fn row_text(row: &Row) -> String {
    let cells: Vec<&str> = row.cells.iter().map(|c| c.text.as_str()).collect();
    cells.join(" | ")
}

/// The table's layout and how many rows the header takes (0 or 1), if it is a parameter
/// table: a header with a name column, or a first row that starts with a bold name.
pub(crate) fn layout(table: &Table) -> Option<(Layout, usize)> {
    let first = table.rows.first()?;
    if is_header(first) {
        let columns: Vec<Column> = first.cells.iter().map(|c| column(&c.text)).collect();
        let named = columns
            .iter()
            .any(|c| matches!(c, Column::Name | Column::NameType));
        let signature = first
            .cells
            .iter()
            .map(|c| header_signature(&c.text))
            .collect::<Vec<_>>()
            .join(" | ");
        let layout = Layout {
            columns,
            has_header: true,
            signature,
        };
        return named.then_some((layout, 1));
    }
    let (_, _, rest) = bold_name(&first.cells.first()?.text)?;
    let typed = !crate::inline::type_refs(rest).is_empty();
    let mut columns = vec![if typed {
        Column::NameType
    } else {
        Column::Name
    }];
    columns.push(Column::Description);
    for i in 2..first.cells.len() {
        columns.push(Column::Other(format!("column {}", i + 1)));
    }
    let head = if typed { "name/type" } else { "name" };
    let signature = format!("(no header) {head} | description");
    let layout = Layout {
        columns,
        has_header: false,
        signature,
    };
    Some((layout, 0))
}

/// A header row: every cell bold (or empty), short, without links.
fn is_header(row: &Row) -> bool {
    row.cells.iter().all(|c| {
        let t = c.text.trim();
        (t.is_empty() || t.starts_with("**")) && !t.contains("](") && strip_markup(t).len() <= 40
    })
}

/// What a header cell says its column holds.
fn column(text: &str) -> Column {
    let plain = strip_markup(text).to_lowercase().replace('/', " ");
    let words: Vec<&str> = plain.split_whitespace().collect();
    let has = |w: &[&str]| words.iter().any(|x| w.contains(x));
    let name = has(&NAME_WORDS);
    let typed = has(&["type", "types"]);
    match () {
        _ if name && typed => Column::NameType,
        _ if name => Column::Name,
        _ if typed => Column::Type,
        _ if has(&["description", "descriptions", "comment"]) => Column::Description,
        _ if has(&["default"]) => Column::Default,
        _ if has(&["required", "mandatory"]) => Column::Required,
        _ => Column::Other(words.join(" ")),
    }
}

/// A header cell for the layout's signature: its bold and backticked parts joined by `/`
/// (`**Name**` + `` `type` `` → `name/type`).
fn header_signature(text: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find("**") {
        let after = &rest[open + 2..];
        let Some(close) = after.find("**") else { break };
        parts.push(after[..close].trim().to_string());
        rest = &after[close + 2..];
    }
    parts.extend(code_spans(rest).iter().map(|s| s.text.trim().to_string()));
    let parts: Vec<String> = parts
        .into_iter()
        .map(|p| p.trim_matches('/').trim().to_lowercase())
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        return strip_markup(text).to_lowercase();
    }
    parts.join("/")
}

/// One row as a parameter; a row without a readable name is a note.
fn param(doc: &Doc, row: &Row, layout: &Layout, notes: &mut Vec<Note>) -> Option<Param> {
    let mut p = Param {
        name: String::new(),
        required: false,
        types: Vec::new(),
        description: String::new(),
        enum_values: Vec::new(),
        default: None,
        nested: Nested::None,
        extra: Vec::new(),
        loc: doc.loc(row.start),
    };
    let mut typed_column = false;
    for (col, cell) in layout.columns.iter().zip(&row.cells) {
        typed_column |= matches!(col, Column::NameType | Column::Type);
        fill(&mut p, col, &cell.text);
        if *col == Column::Description {
            p.enum_values
                .extend(cell.tables.iter().flat_map(nested_values));
        }
    }
    if p.name.is_empty() {
        let detail = format!("no bold name in `{}`", clip(&row_text(row)));
        notes.push(note(doc, row.start, NoteReason::ParamWithoutName, detail));
        return None;
    }
    if row.cells.len() < layout.columns.len().min(2) {
        let detail = format!("`{}` has {} cell(s)", p.name, row.cells.len());
        notes.push(note(doc, row.start, NoteReason::ShortRow, detail));
    }
    if typed_column && p.types.is_empty() {
        let detail = format!("`{}` has no type word", p.name);
        notes.push(note(doc, row.start, NoteReason::ParamWithoutType, detail));
    }
    Some(p)
}

/// Puts one cell into the parameter, by what its column holds.
fn fill(p: &mut Param, col: &Column, text: &str) {
    match col {
        Column::NameType | Column::Name => {
            if let Some((name, required, rest)) = name_cell(text) {
                p.name = name;
                p.required |= required;
                if *col == Column::NameType {
                    p.types = crate::inline::type_refs(rest);
                }
            }
        }
        Column::Type => p.types = crate::inline::type_refs(text),
        Column::Description => {
            p.description = text.to_string();
            p.enum_values = enum_values(text);
            if p.default.is_none() {
                p.default = default_of(text);
            }
        }
        Column::Default => {
            let t = text.trim();
            if !t.is_empty() && !["-", "—", "–"].contains(&t) {
                p.default = Some(t.to_string());
            }
        }
        Column::Required => {
            let t = strip_markup(text).to_lowercase();
            p.required |= ["yes", "y", "true", "required", "*"].contains(&t.as_str());
        }
        Column::Other(column) => p.extra.push(Extra {
            column: column.clone(),
            text: text.to_string(),
        }),
    }
}

/// Values listed in a table nested in a description (`||SOURCE_ID|Name||` then
/// `||CALL|Call||`, …): the first row is the header, then value and meaning.
fn nested_values(table: &Table) -> Vec<EnumValue> {
    table
        .rows
        .iter()
        .skip(1)
        .filter(|r| r.cells.len() >= 2)
        .map(|r| EnumValue {
            value: strip_markup(&r.cells[0].text),
            meaning: r.cells[1].text.clone(),
        })
        .filter(|v| !v.value.is_empty())
        .collect()
}

/// The name of a name cell: bold, else a leading backticked word, else one plain word.
fn name_cell(text: &str) -> Option<(String, bool, &str)> {
    if let Some(found) = bold_name(text) {
        return Some(found);
    }
    if let Some(span) = code_spans(text).into_iter().next().filter(|s| s.start == 0) {
        return Some((span.text.trim().to_string(), false, &text[span.end..]));
    }
    let first_line = text.lines().next()?.trim();
    let word = strip_markup(first_line);
    let plain = !word.is_empty() && !word.contains(' ') && word.len() <= 60;
    plain.then(|| (word, false, &text[first_line.len().min(text.len())..]))
}

/// The parameter a sub-table details: the one whose description links to the heading's
/// anchor, else the one the heading names (exact case first), else the anchor's name.
fn find_parent(table: &ParamTable, earlier: &[ParamTable]) -> Option<String> {
    let params: Vec<&Param> = earlier.iter().flat_map(|t| &t.rows).collect();
    if let Some(a) = table.anchor.as_deref() {
        let target = format!("(#{a})");
        if let Some(p) = params.iter().find(|p| p.description.contains(&target)) {
            return Some(p.name.clone());
        }
    }
    let heading = table.heading.as_deref().unwrap_or("");
    let words: Vec<&str> = heading
        .split(|c: char| c.is_whitespace() || c == ',')
        .map(|w| w.trim_matches(|c: char| "`*()\"'«»:.".contains(c)))
        .filter(|w| !w.is_empty())
        .collect();
    for exact in [true, false] {
        let named = |p: &&&Param| words.iter().any(|w| same_name(w, &p.name, exact));
        if let Some(p) = params.iter().filter(named).max_by_key(|p| p.name.len()) {
            return Some(p.name.clone());
        }
    }
    // "Type uf_enum_element", "Product Row Type": the heading names the parameter's type.
    let typed = |p: &&&Param| {
        let types = p.types.iter().map(|t| t.name.trim_end_matches("[]"));
        types
            .filter(|t| !is_plain_type(t))
            .any(|t| words.iter().any(|w| w.eq_ignore_ascii_case(t)))
    };
    if let Some(p) = params.iter().find(typed) {
        return Some(p.name.clone());
    }
    let anchor = table.anchor.as_deref()?;
    let p = params.iter().find(|p| same_name(anchor, &p.name, false))?;
    Some(p.name.clone())
}

/// Built-in type words, which name no particular structure.
fn is_plain_type(t: &str) -> bool {
    [
        "object", "array", "string", "integer", "boolean", "double", "date", "datetime", "file",
        "any",
    ]
    .contains(&t.to_lowercase().as_str())
}

/// `true` when a heading word names the parameter: its whole name, its last dotted part,
/// or its name without `[]` (`result.members.state` names `state`).
fn same_name(word: &str, name: &str, exact: bool) -> bool {
    let bare = name.trim_end_matches("[]");
    let last = bare.rsplit('.').next().unwrap_or(bare);
    let word = word.trim_end_matches("[]");
    let word_last = word.rsplit('.').next().unwrap_or(word);
    [name, bare, last].iter().any(|n| {
        [word, word_last].iter().any(|w| {
            if exact {
                n == w
            } else {
                n.eq_ignore_ascii_case(w)
            }
        })
    })
}

/// Says, for each parameter, where its inner structure is described.
fn link_nested(tables: &mut [ParamTable], scan: &Scan) {
    let subs: Vec<(Option<String>, Option<String>, String)> = tables
        .iter()
        .map(|t| {
            (
                t.parent.clone(),
                t.anchor.clone(),
                t.heading.clone().unwrap_or_default(),
            )
        })
        .collect();
    for table in tables.iter_mut() {
        for p in &mut table.rows {
            p.nested = nested(p, &subs, scan);
        }
    }
}

/// Where one parameter's structure is described.
fn nested(p: &Param, subs: &[(Option<String>, Option<String>, String)], scan: &Scan) -> Nested {
    if let Some((_, _, heading)) = subs.iter().find(|s| s.0.as_deref() == Some(&p.name)) {
        return Nested::Table {
            heading: heading.clone(),
        };
    }
    if !is_structured(&p.types) {
        return Nested::None;
    }
    for link in link_targets(&p.description) {
        if let Some(anchor) = link.strip_prefix('#') {
            if let Some((_, _, heading)) = subs.iter().find(|s| s.1.as_deref() == Some(anchor)) {
                return Nested::Table {
                    heading: heading.clone(),
                };
            }
            if scan
                .headings
                .iter()
                .any(|h| h.anchor.as_deref() == Some(anchor))
            {
                return Nested::Anchor {
                    anchor: anchor.to_string(),
                };
            }
        } else if link.contains(".md") {
            return Nested::Page {
                link: link.to_string(),
            };
        }
    }
    Nested::None
}

/// `true` for object and array types (`object`, `array`, `object[]`, `crm_multifield[]`).
pub(crate) fn is_structured(types: &[TypeRef]) -> bool {
    types.iter().any(|t| {
        let n = t.name.to_lowercase();
        n.starts_with("object") || n.starts_with("array") || n.ends_with("[]")
    })
}

fn note(doc: &Doc, at: usize, reason: NoteReason, detail: String) -> Note {
    Note {
        loc: doc.loc(at),
        reason,
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blocks::scan;

    fn area(text: &str, area: Area) -> (Vec<ParamTable>, Vec<Note>) {
        let doc = Doc::from_text("p.md", text);
        read_area(&doc, &scan(&doc), area)
    }

    const PAGE: &str = "## Method Parameters

#|
|| **Name**
`type` | **Description** ||
|| **FILTER***
[`object`](../data-types.md) | Filter, fields [below](#filter) ||
|| **MODE**
[`string`](../data-types.md) | Mode:
- `A` — all
- `B` — some

Default is `A` ||
|| **ITEMS**
[`array`](../data-types.md) | See [item](./item.md) ||
|#

### Filter Parameters {#filter}

#|
|| **Name**
`type` | **Description** ||
|| **id**
[`integer`](../data-types.md) | Id ||
|#
";

    #[test]
    fn name_type_description_with_nesting_enums_and_defaults() {
        let (tables, notes) = area(PAGE, Area::Params);
        assert!(notes.is_empty(), "{notes:?}");
        assert_eq!(tables.len(), 2);
        let main = &tables[0];
        assert!(main.first_in_section);
        assert_eq!(main.layout.signature, "name/type | description");
        let names: Vec<_> = main
            .rows
            .iter()
            .map(|p| (p.name.as_str(), p.required))
            .collect();
        assert_eq!(names, [("FILTER", true), ("MODE", false), ("ITEMS", false)]);
        assert_eq!(main.rows[0].types[0].name, "object");
        assert_eq!(
            main.rows[0].nested,
            Nested::Table {
                heading: "Filter Parameters".into()
            }
        );
        assert_eq!(main.rows[1].enum_values.len(), 2);
        assert_eq!(main.rows[1].default.as_deref(), Some("`A`"));
        assert_eq!(
            main.rows[2].nested,
            Nested::Page {
                link: "./item.md".into()
            }
        );
        assert_eq!(tables[1].parent.as_deref(), Some("FILTER"));
        assert!(!tables[1].first_in_section);
    }

    #[test]
    fn other_layouts() {
        let text = "## Parameters\n#|\n|| **Name** | **Type** | **Description** | **Default** ||\n|| `id` | `integer` | Id | `0` ||\n|#\n## Method Parameters\n#|\n|| **TASKID***\n[`integer`](x.md) | Task ||\n|#\n";
        let (tables, _) = area(text, Area::Params);
        assert_eq!(
            tables[0].layout.signature,
            "name | type | description | default"
        );
        let p = &tables[0].rows[0];
        assert_eq!(
            (p.name.as_str(), p.types[0].name.as_str()),
            ("id", "integer")
        );
        assert_eq!(p.default.as_deref(), Some("`0`"));
        assert_eq!(
            tables[1].layout.signature,
            "(no header) name/type | description"
        );
        assert!(tables[1].first_in_section && tables[1].rows[0].required);
    }

    #[test]
    fn unreadable_parts_are_notes() {
        let text = "## Method Parameters\n#|\n|| **Value** | **Meaning** ||\n|#\n#|\n|| **Name** `type` | **Description** ||\n|| no name here | x ||\n|| **A** | untyped ||\n|#\n### Something else\n#|\n|| **Name** | **Description** ||\n|| **b** | b ||\n|#\n";
        let (_, notes) = area(text, Area::Params);
        let reasons: Vec<_> = notes.iter().map(|n| n.reason).collect();
        assert_eq!(
            reasons,
            [
                NoteReason::UnknownTableLayout,
                NoteReason::ParamWithoutName,
                NoteReason::ParamWithoutType,
                NoteReason::UnmatchedSubTable
            ]
        );
        assert_eq!(notes[1].loc.line, 7);
    }

    #[test]
    fn returned_data_under_an_h3() {
        let text = "## Response Handling\n### Returned Data\n#|\n|| **Name**\n`type` | **Description** ||\n|| **result**\n[`boolean`](x) | ok ||\n|#\n";
        let (tables, _) = area(text, Area::Returned);
        assert_eq!(tables.len(), 1);
        assert!(tables[0].parent.is_none());
        assert_eq!(tables[0].rows[0].name, "result");
    }
}
