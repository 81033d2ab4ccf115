//! YFM tables (`#| … |#`): rows of `|| cell | cell ||`, cells spanning several lines.
//!
//! A cell may hold paragraphs, bullet lists, code fences (whose `|` and `||` are code, not
//! separators) and even a whole nested table (the crm pages list `SOURCE_ID` values so).
//! The reader keeps each cell's markdown as written, without the table's indentation, and
//! each row's and cell's first line.

use crate::model::NoteReason;
use crate::source::Line;

/// A parsed table.
#[derive(Debug, Clone, Default)]
pub(crate) struct Table {
    /// The rows, header included (telling a header from data is the readers' job).
    pub rows: Vec<Row>,
    /// Index of the `#|` line.
    pub start: usize,
}

/// One `|| … ||` row.
#[derive(Debug, Clone, Default)]
pub(crate) struct Row {
    /// The cells, left to right.
    pub cells: Vec<Cell>,
    /// Index of the row's first line.
    pub start: usize,
}

/// One cell.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cell {
    /// The cell's markdown, trimmed, nested tables included as written.
    pub text: String,
    /// Tables nested in the cell.
    pub tables: Vec<Table>,
}

/// A problem found while reading a table, by line index.
pub(crate) type Problem = (usize, NoteReason, String);

/// A row's content as read, before it is cut into cells.
enum Piece {
    /// Text where `|` separates cells.
    Text(String),
    /// A line of a code fence: kept whole.
    Code(String),
    /// A nested table, with the lines it was written on.
    Nested(Table, Vec<String>),
}

/// A row being read.
struct OpenRow {
    start: usize,
    pieces: Vec<Piece>,
}

/// State of the reader between lines.
struct Reader<'a> {
    lines: &'a [Line],
    /// How many tables this one is nested in.
    depth: usize,
    indent: usize,
    rows: Vec<Row>,
    open: Option<OpenRow>,
    fence: bool,
    problems: Vec<Problem>,
}

/// Reads the table whose `#|` is at `start`. Returns it, the index just past its `|#` (or
/// where reading stopped) and the problems met. Never fails: an unclosed table ends at the
/// next heading or at the end of the page, with a problem.
pub(crate) fn read(lines: &[Line], start: usize) -> (Table, usize, Vec<Problem>) {
    read_nested(lines, start, 0)
}

/// Tables nest this deep at most; a deeper `#|` is read as cell text (the pages nest one
/// level; the limit keeps a hostile page from exhausting the stack).
const MAX_NESTING: usize = 4;

fn read_nested(lines: &[Line], start: usize, depth: usize) -> (Table, usize, Vec<Problem>) {
    let mut r = Reader {
        lines,
        depth,
        indent: indent_of(&lines[start].text),
        rows: Vec::new(),
        open: None,
        fence: false,
        problems: Vec::new(),
    };
    let mut i = start + 1;
    while i < lines.len() {
        match r.step(i) {
            Step::Next => i += 1,
            Step::Skip(next) => i = next,
            Step::Done => {
                let table = Table {
                    rows: r.rows,
                    start,
                };
                return (table, i + 1, r.problems);
            }
            Step::Stop => break,
        }
    }
    r.problems.push((
        start,
        NoteReason::UnclosedTable,
        "no `|#` closes this table".into(),
    ));
    if r.open.is_some() {
        r.unterminated(i.min(lines.len() - 1));
    }
    let table = Table {
        rows: r.rows,
        start,
    };
    (table, i, r.problems)
}

/// What to do after a line.
enum Step {
    /// Go on with the next line.
    Next,
    /// Go on at this index (a nested table was read).
    Skip(usize),
    /// The `|#` was found.
    Done,
    /// The table ran into a heading: it was never closed.
    Stop,
}

impl Reader<'_> {
    /// Reads line `i`.
    fn step(&mut self, i: usize) -> Step {
        let text = dedent(&self.lines[i].text, self.indent);
        let t = text.trim();
        if self.fence {
            return self.code_line(&text);
        }
        if t.starts_with("|#") {
            if self.open.is_some() {
                self.unterminated(i);
            }
            return Step::Done;
        }
        if is_heading(&self.lines[i].text) && (self.open.is_none() || t.starts_with("## ")) {
            return Step::Stop;
        }
        if t.starts_with("#|") && self.open.is_some() && self.depth < MAX_NESTING {
            return self.nested(i);
        }
        if t.starts_with("```") && !t[3..].contains("```") && self.open.is_some() {
            self.fence = true;
            self.push(Piece::Code(text));
            return Step::Next;
        }
        self.text_line(i, &text);
        Step::Next
    }

    /// A line inside a code fence in a cell; "``` ||" closes the fence and the row.
    fn code_line(&mut self, text: &str) -> Step {
        let t = text.trim();
        if t.starts_with("```") {
            self.fence = false;
            if let Some(code) = t.strip_suffix("||").filter(|c| c.trim() == "```") {
                let keep = text.replace(t, code.trim_end());
                self.push(Piece::Code(keep));
                self.close_row();
                return Step::Next;
            }
        }
        self.push(Piece::Code(text.to_string()));
        Step::Next
    }

    /// A nested table: read it whole and keep it in the current cell.
    fn nested(&mut self, i: usize) -> Step {
        let (table, next, problems) = read_nested(self.lines, i, self.depth + 1);
        self.problems.extend(problems);
        let written = (i..next.min(self.lines.len()))
            .map(|j| dedent(&self.lines[j].text, self.indent))
            .collect();
        self.push(Piece::Nested(table, written));
        Step::Skip(next)
    }

    /// A line of text: starts, continues or ends a row.
    fn text_line(&mut self, i: usize, text: &str) {
        let t = text.trim();
        if self.open.is_none() {
            self.outside_row(i, t);
        } else if t == "||" {
            self.close_row();
        } else if t.starts_with("||") {
            self.problems.push((
                i,
                NoteReason::BrokenTableRow,
                "a row starts before the previous one ends".into(),
            ));
            self.close_row();
            self.outside_row(i, t);
        } else if let Some(content) = t.strip_suffix("||") {
            self.push(Piece::Text(content.to_string()));
            self.close_row();
        } else {
            self.push(Piece::Text(text.to_string()));
            self.fence = opens_fence(t);
        }
    }

    /// The last row never got its closing `||`: it still counts, with a problem.
    fn unterminated(&mut self, i: usize) {
        let at = self.open.as_ref().map_or(i, |r| r.start);
        let detail = "a row is not closed by `||`".to_string();
        self.problems.push((at, NoteReason::BrokenTableRow, detail));
        self.close_row();
    }

    /// A line while no row is open: a row start, blank, or stray text.
    fn outside_row(&mut self, i: usize, t: &str) {
        let Some(rest) = t.strip_prefix("||") else {
            if !t.is_empty() {
                let detail = format!("text outside any row: {}", clip(t));
                self.problems.push((i, NoteReason::BrokenTableRow, detail));
            }
            return;
        };
        self.open = Some(OpenRow {
            start: i,
            pieces: Vec::new(),
        });
        match rest.trim_end().strip_suffix("||") {
            Some(content) => {
                self.push(Piece::Text(content.to_string()));
                self.close_row();
            }
            None => {
                self.push(Piece::Text(rest.to_string()));
                self.fence = opens_fence(rest);
            }
        }
    }

    fn push(&mut self, piece: Piece) {
        if let Some(row) = self.open.as_mut() {
            row.pieces.push(piece);
        }
    }

    /// Ends the open row, cutting it into cells.
    fn close_row(&mut self) {
        if let Some(row) = self.open.take() {
            self.rows.push(split(row));
        }
    }
}

/// `true` when a line of cell text ends by opening a code fence (`| ```json`): an odd
/// number of triple backticks.
fn opens_fence(text: &str) -> bool {
    text.matches("```").count() % 2 == 1
}

/// Cuts a row into cells at each `|` outside code.
fn split(row: OpenRow) -> Row {
    let mut cells = vec![CellBuf::default()];
    for piece in row.pieces {
        match piece {
            Piece::Text(text) => split_line(&mut cells, &text),
            Piece::Code(text) => last(&mut cells).lines.push(text),
            Piece::Nested(table, written) => {
                let cell = last(&mut cells);
                cell.lines.extend(written);
                cell.tables.push(table);
            }
        }
    }
    Row {
        cells: cells.into_iter().map(CellBuf::finish).collect(),
        start: row.start,
    }
}

/// A cell being assembled.
#[derive(Default)]
struct CellBuf {
    lines: Vec<String>,
    tables: Vec<Table>,
}

impl CellBuf {
    fn finish(self) -> Cell {
        Cell {
            text: self.lines.join("\n").trim().to_string(),
            tables: self.tables,
        }
    }
}

/// The cell being filled (there is always one).
fn last(cells: &mut Vec<CellBuf>) -> &mut CellBuf {
    if cells.is_empty() {
        cells.push(CellBuf::default());
    }
    let n = cells.len() - 1;
    &mut cells[n]
}

/// Splits one line at `|` separators outside inline code and escapes.
fn split_line(cells: &mut Vec<CellBuf>, text: &str) {
    let mut part = String::new();
    let mut code: Option<usize> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                part.push(c);
                if let Some(next) = chars.next() {
                    part.push(next);
                }
            }
            '`' => {
                let mut run = 1;
                while chars.peek() == Some(&'`') {
                    chars.next();
                    run += 1;
                }
                part.extend(std::iter::repeat_n('`', run));
                code = match code {
                    None => Some(run),
                    Some(open) if open == run => None,
                    other => other,
                };
            }
            '|' if code.is_none() => {
                push_part(cells, &part);
                part.clear();
                cells.push(CellBuf::default());
            }
            _ => part.push(c),
        }
    }
    push_part(cells, &part);
}

/// Adds a piece of a line to the last cell (a blank piece only keeps paragraph breaks).
fn push_part(cells: &mut Vec<CellBuf>, part: &str) {
    let cell = last(cells);
    if part.trim().is_empty() {
        if !cell.lines.is_empty() {
            cell.lines.push(String::new());
        }
        return;
    }
    cell.lines.push(part.to_string());
}

/// Number of leading whitespace characters.
pub(crate) fn indent_of(text: &str) -> usize {
    text.chars().take_while(|c| c.is_whitespace()).count()
}

/// Removes up to `n` leading whitespace characters.
pub(crate) fn dedent(text: &str, n: usize) -> String {
    let skip = text
        .char_indices()
        .take(n)
        .take_while(|(_, c)| c.is_whitespace())
        .last()
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    text[skip..].to_string()
}

/// `true` for an ATX heading (`## Title`) indented at most three spaces.
pub(crate) fn is_heading(text: &str) -> bool {
    let t = text.trim_start();
    if text.len() - t.len() > 3 {
        return false;
    }
    let hashes = t.chars().take_while(|&c| c == '#').count();
    (1..=6).contains(&hashes) && t[hashes..].starts_with(' ')
}

/// The first 80 characters of a text, for notes.
pub(crate) fn clip(text: &str) -> String {
    let t = text.trim();
    match t.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &t[..i]),
        None => t.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Doc;

    fn table(text: &str) -> (Table, Vec<Problem>) {
        let doc = Doc::from_text("t.md", text);
        let (t, _, p) = read(&doc.lines, 0);
        (t, p)
    }

    fn texts(row: &Row) -> Vec<&str> {
        row.cells.iter().map(|c| c.text.as_str()).collect()
    }

    #[test]
    fn multi_line_cells_keep_their_lines() {
        let (t, p) = table(
            "#|\n|| **Name**\n`type` | **Description** ||\n|| **POST_ID***\n[`integer`](../data-types.md) | Id.\n\nMore ||\n|#\n",
        );
        assert!(p.is_empty());
        assert_eq!(t.rows.len(), 2);
        assert_eq!(texts(&t.rows[0]), ["**Name**\n`type`", "**Description**"]);
        assert_eq!(texts(&t.rows[1])[1], "Id.\n\nMore");
        assert_eq!(t.rows[1].start, 3);
    }

    #[test]
    fn pipes_in_code_do_not_split() {
        let (t, _) = table("#|\n||a|`x | y`||\n|| b | ```\nc || d\n``` ||\n|#");
        assert_eq!(texts(&t.rows[0]), ["a", "`x | y`"]);
        assert_eq!(texts(&t.rows[1]), ["b", "```\nc || d\n```"]);
    }

    #[test]
    fn nested_tables_stay_in_their_cell() {
        let (t, p) = table(
            "#|\n|| **A**\n`string` | Values:\n\n#|\n||X|Y||\n|#\n\nEnd ||\n|| **B** | b ||\n|#",
        );
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0].cells[1].tables.len(), 1);
        assert!(t.rows[0].cells[1].text.ends_with("End"));
    }

    #[test]
    fn unclosed_tables_and_rows_are_problems() {
        let (t, p) = table("#|\n|| a | b\n|| c | d ||\n## Next");
        assert_eq!(t.rows.len(), 2);
        let reasons: Vec<_> = p.iter().map(|x| x.1).collect();
        assert_eq!(
            reasons,
            [NoteReason::BrokenTableRow, NoteReason::UnclosedTable]
        );
    }

    #[test]
    fn a_last_row_without_its_bars_still_counts() {
        let (t, p) = table("#|\n|| **A** | a ||\n|| **B** | b\n|#\n## Next");
        assert_eq!(t.rows.len(), 2);
        assert_eq!(texts(&t.rows[1]), ["**B**", "b"]);
        assert_eq!(p.len(), 1);
        assert_eq!((p[0].0, p[0].1), (2, NoteReason::BrokenTableRow));
    }

    #[test]
    fn indented_tables_lose_their_indentation() {
        let (t, _) = table("  #|\n  || **a**\n  `int` | x\n  - y ||\n  |#");
        assert_eq!(texts(&t.rows[0]), ["**a**\n`int`", "x\n- y"]);
    }
}
