//! Doc comments: spec text (markdown) turned into `#[doc]` attributes.

use proc_macro2::TokenStream;
use quote::quote;

/// Outer doc attributes (`///`) for `text`, one per line.
pub(super) fn outer(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// Inner doc attributes (`//!`) for `text`, one per line.
pub(super) fn inner(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #![doc = #lines] )* }
}

fn doc_lines(text: &str) -> Vec<String> {
    let trimmed = text.trim_end();
    trimmed
        .lines()
        .map(|line| {
            let line = line.trim_end();
            if line.is_empty() {
                String::new()
            } else {
                format!(" {line}")
            }
        })
        .collect()
}

/// `text` as a markdown code span, safe for any backticks inside it.
pub(super) fn code(text: &str) -> String {
    if text.contains('`') {
        format!("`` {text} ``")
    } else if text.is_empty() {
        "`\"\"`".to_owned()
    } else {
        format!("`{text}`")
    }
}

/// A markdown paragraph builder: paragraphs separated by blank lines.
#[derive(Default)]
pub(super) struct Doc {
    paragraphs: Vec<String>,
}

impl Doc {
    /// Adds a paragraph (skipped when blank).
    pub(super) fn para(&mut self, text: impl AsRef<str>) -> &mut Self {
        let text = text.as_ref().trim();
        if !text.is_empty() {
            self.paragraphs.push(text.to_owned());
        }
        self
    }

    /// The text so far.
    pub(super) fn text(&self) -> String {
        self.paragraphs.join("\n\n")
    }

    /// Outer doc attributes.
    pub(super) fn outer(&self) -> TokenStream {
        outer(&self.text())
    }
}

/// "Obtain it from `a`, `b`." or nothing.
pub(super) fn obtain_from(methods: &[String]) -> String {
    if methods.is_empty() {
        return String::new();
    }
    let list: Vec<String> = methods.iter().map(|m| code(m)).collect();
    format!("Valid values come from {}.", list.join(", "))
}

/// Columns a generated line may take, counting its indentation and `/// `.
pub(super) const LINE_WIDTH: usize = 100;

/// `markdown` (the text of one doc comment) with each line longer than `width` columns broken
/// between words. A line is never broken inside a link, an inline code span or an autolink
/// (a link longer than the width stays whole, on a line of its own), nor so that a new line
/// would begin a list, quote, heading or code block. Table rows, headings, HTML, indented
/// lines and fenced code blocks are kept as they are, and so is every line that fits: the
/// author's own line breaks stay.
pub(super) fn wrap(markdown: &str, width: usize) -> Vec<String> {
    let tidy = tidy_lists(markdown);
    let mut fence: Option<&str> = None;
    let mut out = Vec::new();
    for line in tidy.split('\n') {
        if let Some(open) = fence {
            if closes_fence(line, open) {
                fence = None;
            }
            out.push(line.to_owned());
        } else if let Some(open) = opening_fence(line) {
            fence = Some(open);
            out.push(line.to_owned());
        } else if line.chars().count() <= width || kept_whole(line) {
            out.push(line.to_owned());
        } else {
            out.extend(break_line(line, width));
        }
    }
    out
}

/// `markdown` with what rustdoc reads the same but clippy's doc lints refuse made regular:
/// tabs become spaces (two for each leading tab outside code blocks, a nested list level), and
/// a line that continues a list item without a blank line takes the item's content indent,
/// neither less (`doc_lazy_continuation`) nor more (`doc_overindented_list_items`). Page text
/// imported from the official docs writes lists all three ways; CommonMark reads each of these
/// lines as part of the same paragraph whatever its indent, so nothing changes meaning.
pub(super) fn tidy_lists(markdown: &str) -> String {
    let mut fence: Option<String> = None;
    // The content indent of the list item the previous line belongs to, if any.
    let mut item: Option<usize> = None;
    let mut out = Vec::new();
    for raw in markdown.split('\n') {
        let line = untab(raw, fence.is_some());
        if let Some(open) = &fence {
            if closes_fence(&line, open) {
                fence = None;
            }
            out.push(line);
            continue;
        }
        if let Some(open) = opening_fence(&line) {
            fence = Some(open.to_owned());
            item = None;
            out.push(line);
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        let body = &line[indent..];
        if body.is_empty() {
            item = None;
            out.push(line);
        } else if let Some(marker) = list_marker(body) {
            item = Some(indent + marker);
            out.push(line);
        } else if let Some(content) = item.filter(|&content| indent != content) {
            out.push(format!("{}{body}", " ".repeat(content)));
        } else {
            out.push(line);
        }
    }
    out.join("\n")
}

/// `markdown` with what rustdoc would read as markup the author never meant made literal. Page
/// text writes `fields[ORDER_ID]`, `<characters>_<number>` and untagged code blocks of JSON;
/// rustdoc would take them for intra-doc links, unclosed HTML tags and Rust doctests, and
/// `-D warnings` refuses all three. So, outside code spans and fenced blocks: a `[` that opens
/// neither an inline link (`[text](target)`) nor a link to code (`` [`Item`] ``) is escaped,
/// a `<` that opens neither an autolink nor a known HTML tag is escaped, a bare URL becomes an
/// autolink; an untagged fence is tagged `text`. The generator's own markup is never touched:
/// it writes only those link forms and tags its Rust code blocks.
pub(super) fn escape_stray_markup(markdown: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut prose: Vec<&str> = Vec::new();
    let mut fence: Option<&str> = None;
    for line in markdown.split('\n') {
        if let Some(open) = fence {
            if closes_fence(line, open) {
                fence = None;
            }
            out.push(line.to_owned());
        } else if let Some(open) = opening_fence(line) {
            out.extend(flush_prose(&mut prose));
            fence = Some(open);
            out.push(tagged_fence(line, open));
        } else {
            prose.push(line);
        }
    }
    out.extend(flush_prose(&mut prose));
    out.join("\n")
}

/// The lines of `prose` (taken), escaped as one text so that a code span may cross lines.
fn flush_prose(prose: &mut Vec<&str>) -> Option<String> {
    if prose.is_empty() {
        return None;
    }
    let text = prose.join("\n");
    prose.clear();
    Some(escape_prose(&text))
}

/// A fence line with `text` as its info string when it has none: rustdoc would test the
/// block as Rust.
fn tagged_fence(line: &str, open: &str) -> String {
    let info = line.trim_start_matches(' ')[open.len()..].trim();
    if info.is_empty() {
        format!("{}text", line.trim_end())
    } else {
        line.to_owned()
    }
}

fn escape_prose(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        let (kept, escaped) = match rest.as_bytes()[0] {
            b'`' => (
                code_span_end(rest).unwrap_or_else(|| backtick_run(rest)),
                None,
            ),
            b'\\' => (1 + rest[1..].chars().next().map_or(0, char::len_utf8), None),
            b'[' => match link_to_keep(rest) {
                Some(Link::Kept(end)) => (end, None),
                Some(Link::Label(label, end)) => {
                    out.push_str(&escape_prose(label));
                    at += end;
                    continue;
                }
                None => (1, Some("\\[")),
            },
            b'<' => match autolink_end(rest).or_else(|| html_tag_end(rest)) {
                Some(end) => (end, None),
                None if rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/') => {
                    (1, Some("\\<"))
                }
                None => (1, None),
            },
            b'h' if starts_word(text, at) => match bare_url_end(rest) {
                Some(end) => {
                    out.push('<');
                    out.push_str(&rest[..end]);
                    out.push('>');
                    at += end;
                    continue;
                }
                None => (1, None),
            },
            _ => (rest.chars().next().map_or(1, char::len_utf8), None),
        };
        out.push_str(escaped.unwrap_or(&rest[..kept]));
        at += kept;
    }
    out
}

/// The length of the run of backticks `text` starts with (literal when no span closes it).
fn backtick_run(text: &str) -> usize {
    text.len() - text.trim_start_matches('`').len()
}

/// A link in page text that rustdoc should read as one.
enum Link<'a> {
    /// An inline link to a URL, a fragment or an item, or a shortcut link whose label is one
    /// code span (a link to an item): kept whole, this many bytes.
    Kept(usize),
    /// An inline link to what is neither (`[see](*quotes)`, a footnote of the page): only its
    /// label is kept; the link is this many bytes.
    Label(&'a str, usize),
}

/// The link `text` starts with, when it is one rustdoc should read.
fn link_to_keep(text: &str) -> Option<Link<'_>> {
    let label = closing(text, b'[', b']')?;
    let after = &text[label..];
    let inner = &text[1..label - 1];
    if after.starts_with('(') {
        let target = closing(after, b'(', b')')?;
        let end = label + target;
        return Some(if resolvable(&after[1..target - 1]) {
            Link::Kept(end)
        } else {
            Link::Label(inner, end)
        });
    }
    let one_span = inner.starts_with('`') && code_span_end(inner) == Some(inner.len());
    (one_span && !after.starts_with('[')).then_some(Link::Kept(label))
}

/// Whether rustdoc resolves a link target: a URL, a fragment, or a path to an item
/// (`Self::A`, `crate::list::Filter`, `method@Call::type`).
fn resolvable(target: &str) -> bool {
    let target = target.trim();
    target.contains("://")
        || target.starts_with("mailto:")
        || target.starts_with('#')
        || (!target.is_empty()
            && target.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && target.chars().all(|c| {
                c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '@' | '!' | '(' | ')')
            }))
}

/// The HTML tags page text uses and rustdoc renders; any other `<word>` is text
/// (`<characters>`, `<ID>`).
const HTML_TAGS: [&str; 22] = [
    "a", "b", "br", "code", "del", "details", "div", "em", "hr", "i", "img", "kbd", "li", "ol",
    "p", "pre", "s", "section", "span", "strong", "sub", "sup",
];

/// The length of the known HTML tag (`<b>`, `</div>`, `<br/>`, `<a href="…">`) `text` starts
/// with.
fn html_tag_end(text: &str) -> Option<usize> {
    let end = text.find('>')?;
    let inside = text[1..end].trim_start_matches('/');
    let name = inside
        .split([' ', '/'])
        .next()
        .filter(|name| !name.is_empty())?;
    (HTML_TAGS.contains(&name.to_ascii_lowercase().as_str()) && !text[..end].contains('\n'))
        .then_some(end + 1)
}

/// Whether byte `at` of `text` begins a word (a bare URL is only one at a word's start).
fn starts_word(text: &str, at: usize) -> bool {
    text[..at]
        .chars()
        .next_back()
        .is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '"' | '\''))
}

/// The length of the bare `http(s)://` URL `text` starts with, without the punctuation that
/// ends the sentence around it.
fn bare_url_end(text: &str) -> Option<usize> {
    let scheme = ["https://", "http://"]
        .into_iter()
        .find(|scheme| text.starts_with(scheme))?;
    let end = text
        .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
        .unwrap_or(text.len());
    let url = text[..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '\'']);
    (url.len() > scheme.len()).then_some(url.len())
}

/// `line` without tabs: a leading tab is two spaces (four in a code block), any other one space.
fn untab(line: &str, in_code: bool) -> String {
    if !line.contains('\t') {
        return line.to_owned();
    }
    let lead = line.len() - line.trim_start_matches(['\t', ' ']).len();
    let width = if in_code { "    " } else { "  " };
    let head = line[..lead].replace('\t', width);
    format!("{head}{}", line[lead..].replace('\t', " "))
}

/// The width of a list item's marker and the spaces after it (`- `, `12. `), if `body` (a line
/// without its indent) starts one.
fn list_marker(body: &str) -> Option<usize> {
    let digits = body.chars().take_while(char::is_ascii_digit).count();
    let marker = match body[digits..].chars().next()? {
        '-' | '*' | '+' if digits == 0 => 1,
        '.' | ')' if (1..=9).contains(&digits) => digits + 1,
        _ => return None,
    };
    let rest = &body[marker..];
    let spaces = rest.len() - rest.trim_start_matches(' ').len();
    (spaces > 0 && spaces <= 4 && !rest.trim().is_empty()).then_some(marker + spaces)
}

/// The fence (a run of three or more backticks or tildes) a line opens a code block with.
fn opening_fence(line: &str) -> Option<&str> {
    let trimmed = line.trim_start_matches(' ');
    ["```", "~~~"].into_iter().find_map(|start| {
        trimmed.starts_with(start).then(|| {
            let mark = start.as_bytes()[0] as char;
            let end = trimmed.find(|c| c != mark).unwrap_or(trimmed.len());
            &trimmed[..end]
        })
    })
}

fn closes_fence(line: &str, open: &str) -> bool {
    let trimmed = line.trim();
    let mark = open.as_bytes()[0] as char;
    trimmed.len() >= open.len() && trimmed.chars().all(|c| c == mark)
}

/// Lines whose breaks carry meaning: table rows, headings, HTML, and indented code.
fn kept_whole(line: &str) -> bool {
    let trimmed = line.trim_start();
    line.starts_with("    ")
        || line.starts_with('\t')
        || ["|", "#", "<"]
            .iter()
            .any(|start| trimmed.starts_with(start))
}

/// One long line broken greedily. A list item's or quote's later lines are indented past its
/// marker, so that they stay in the item.
fn break_line(line: &str, width: usize) -> Vec<String> {
    let indent = line.len() - line.trim_start_matches(' ').len();
    let (marker, body) = block_marker(&line[indent..]);
    let first = format!("{}{marker}", &line[..indent]);
    let hanging = if marker.starts_with('>') {
        format!("{}> ", &line[..indent])
    } else {
        " ".repeat(first.len())
    };
    let mut lines = Vec::new();
    let mut current = first;
    let mut empty = true;
    for unit in units(body) {
        let fits = current.chars().count() + 1 + unit.chars().count() <= width;
        if !empty && !fits {
            lines.push(std::mem::replace(&mut current, hanging.clone()));
            empty = true;
        }
        if !empty {
            current.push(' ');
        }
        current.push_str(&unit);
        empty = false;
    }
    lines.push(current);
    lines
}

/// The list or quote marker a line starts with (`- `, `* `, `+ `, `1. `, `2) `, `> `), and
/// the rest.
fn block_marker(line: &str) -> (&str, &str) {
    let digits = line.len() - line.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let marker = if matches!(line.get(..2), Some("- " | "* " | "+ " | "> ")) {
        2
    } else if (1..=9).contains(&digits) && matches!(line.get(digits..digits + 2), Some(". " | ") "))
    {
        digits + 2
    } else {
        0
    };
    line.split_at(marker)
}

/// The words of `text` that a line may break between: runs without white space, where a link
/// (`[text](target)`, `[text][ref]`, `[text]`), an inline code span or an autolink counts as
/// one letter however many spaces it holds. A word that would begin a block if it began a
/// line (`-`, `1.`, `>`, `#`, a fence) is joined to the word before it.
fn units(text: &str) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut units: Vec<String> = Vec::new();
    let mut start = None;
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b' ' || bytes[at] == b'\t' {
            if let Some(from) = start.take() {
                push_unit(&mut units, &text[from..at]);
            }
            at += 1;
            continue;
        }
        start.get_or_insert(at);
        at = skip_span(text, at);
    }
    if let Some(from) = start {
        push_unit(&mut units, &text[from..]);
    }
    units
}

fn push_unit(units: &mut Vec<String>, unit: &str) {
    match units.last_mut() {
        Some(previous) if starts_block(unit) => {
            previous.push(' ');
            previous.push_str(unit);
        }
        _ => units.push(unit.to_owned()),
    }
}

/// Whether a line that began with `word` would begin a block instead of going on with the
/// paragraph: a list item, a quote, a heading, a fence, a thematic break or a setext
/// underline, a table row or HTML.
fn starts_block(word: &str) -> bool {
    let digits = word.len() - word.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let ordered = (1..=9).contains(&digits) && matches!(&word[digits..], "." | ")");
    let punctuation = word
        .chars()
        .all(|c| matches!(c, '-' | '=' | '_' | '*' | '+' | '#'));
    // `<` opens HTML, except in an autolink (`<https://…>`), which goes on the paragraph.
    let html = word.starts_with('<') && autolink_end(word).is_none();
    ordered
        || punctuation
        || html
        || ["```", "~~~", ">", "|"]
            .iter()
            .any(|start| word.starts_with(start))
}

/// The length of the autolink (`<scheme:…>`, no spaces) `text` starts with.
fn autolink_end(text: &str) -> Option<usize> {
    let end = text.find(['>', ' '])?;
    (text.starts_with('<') && text.as_bytes()[end] == b'>' && text[1..end].contains(':'))
        .then_some(end + 1)
}

/// Where the span that starts at byte `at` of `text` ends: past a whole code span, link or
/// autolink when one starts there, else past the one character.
fn skip_span(text: &str, at: usize) -> usize {
    let rest = &text[at..];
    let end = match rest.as_bytes()[0] {
        b'`' => code_span_end(rest),
        b'[' => link_end(rest),
        b'<' => autolink_end(rest),
        _ => None,
    };
    at + end.unwrap_or_else(|| rest.chars().next().map_or(1, char::len_utf8))
}

/// The length of the code span `text` starts with: a run of backticks up to the next run of
/// the same length. `None` when it is not closed (the backticks are then literal).
fn code_span_end(text: &str) -> Option<usize> {
    let run = text.len() - text.trim_start_matches('`').len();
    let mut at = run;
    while let Some(found) = text[at..].find('`') {
        let start = at + found;
        let length = text[start..].len() - text[start..].trim_start_matches('`').len();
        if length == run {
            return Some(start + length);
        }
        at = start + length;
    }
    None
}

/// The length of the link `text` starts with: `[…]` with nested brackets and code spans,
/// followed by a `(…)` target or a `[…]` reference when there is one. `None` when the bracket
/// is not closed.
fn link_end(text: &str) -> Option<usize> {
    let label = closing(text, b'[', b']')?;
    let after = &text[label..];
    let target = match after.as_bytes().first() {
        Some(b'(') => closing(after, b'(', b')'),
        Some(b'[') => closing(after, b'[', b']'),
        _ => Some(0),
    };
    Some(label + target.unwrap_or(0))
}

/// The length of the bracketed group `text` starts with (`open` … the matching `close`),
/// skipping code spans inside it.
fn closing(text: &str, open: u8, close: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut at = 0;
    while at < bytes.len() {
        match bytes[at] {
            b'`' => {
                at += code_span_end(&text[at..]).unwrap_or(1);
                continue;
            }
            b'\\' => at += 1,
            byte if byte == open => depth += 1,
            byte if byte == close => {
                depth -= 1;
                if depth == 0 {
                    return Some(at + 1);
                }
            }
            _ => {}
        }
        at += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    #[test]
    fn list_continuations_take_the_item_s_indent_and_tabs_become_spaces() {
        let page = "Flags:\n\n- `FORCED` — force.\nPass `Y` to force\n- CRM\n    `['crm']` — leads\n\t- nested\n\nAfter.";
        assert_eq!(
            tidy_lists(page),
            "Flags:\n\n- `FORCED` — force.\n  Pass `Y` to force\n- CRM\n  `['crm']` — leads\n  - nested\n\nAfter."
        );
        let code = "```\n\tlet x = 1;\n```\n- item\n\n    indented code stays";
        assert_eq!(
            tidy_lists(code),
            "```\n    let x = 1;\n```\n- item\n\n    indented code stays"
        );
    }

    use super::*;

    #[test]
    fn stray_markup_in_page_text_becomes_literal() {
        // What rustdoc would take for intra-doc links, unclosed HTML and a bare URL.
        assert_eq!(
            escape_stray_markup("fields[ORDER_ID] in <characters>_<number> see https://x.y/z."),
            "fields\\[ORDER_ID] in \\<characters>_\\<number> see <https://x.y/z>."
        );
        // Links, code, known HTML, autolinks and escapes stay as they are.
        let kept = "[text](https://a.b/c), [`Item`], `a[b]<c>`, <b>x</b><br>, <https://a.b>, \\[x]";
        assert_eq!(escape_stray_markup(kept), kept);
        // A link to a page's footnote keeps its label only.
        assert_eq!(
            escape_stray_markup("nothing [is specified](*quotes) [x](Self::A) [y](#z)"),
            "nothing is specified [x](Self::A) [y](#z)"
        );
        // A label that is not one code span is no item link.
        assert_eq!(
            escape_stray_markup("[`a`, `b`] and [x][y]"),
            "\\[`a`, `b`] and \\[x]\\[y]"
        );
        // An untagged block would be tested as Rust; a tagged one and its content stay.
        assert_eq!(
            escape_stray_markup("```\n{a: [1]}\n```\n```json\n[1]\n```"),
            "```text\n{a: [1]}\n```\n```json\n[1]\n```"
        );
        // A comparison is no tag.
        assert_eq!(escape_stray_markup("a < b, c <= d"), "a < b, c <= d");
    }

    #[test]
    fn long_lines_break_between_words_and_short_ones_stay() {
        let text = "short line\nthe quick brown fox jumps over the lazy dog";
        assert_eq!(
            wrap(text, 20),
            [
                "short line",
                "the quick brown fox",
                "jumps over the lazy",
                "dog"
            ]
        );
    }

    #[test]
    fn links_and_code_spans_are_never_broken() {
        let text = "see [the long link text](https://example.com/a/b) and `a b c d` now";
        assert_eq!(
            wrap(text, 12),
            [
                "see",
                "[the long link text](https://example.com/a/b)",
                "and",
                "`a b c d`",
                "now"
            ]
        );
        assert_eq!(
            wrap("x [`A b`](Self::A) y ``a ` b`` z", 10),
            ["x", "[`A b`](Self::A)", "y", "``a ` b``", "z"]
        );
    }

    #[test]
    fn tables_code_blocks_and_headings_are_kept() {
        let row = format!("| {} |", "cell ".repeat(30));
        let code = format!("```\n{}\n```", "let x = 1; ".repeat(20));
        let heading = format!("# {}", "word ".repeat(30));
        for text in [row, code, heading] {
            assert_eq!(wrap(&text, 40).join("\n"), text);
        }
    }

    #[test]
    fn list_items_hang_and_no_line_starts_a_block() {
        assert_eq!(
            wrap("- one two three four", 12),
            ["- one two", "  three four"]
        );
        assert_eq!(
            wrap("12. one two three", 10),
            ["12. one", "    two", "    three"]
        );
        // A break before `-` or `1.` would start a list: the word goes with the one before.
        assert_eq!(wrap("aaaa bbbb - cccc", 10), ["aaaa", "bbbb -", "cccc"]);
        assert_eq!(wrap("aaaa bbbb 1. cccc", 10), ["aaaa", "bbbb 1.", "cccc"]);
        // An autolink may begin a line; HTML may not.
        assert_eq!(wrap("see <https://x.y/z>", 8), ["see", "<https://x.y/z>"]);
        assert_eq!(wrap("see <b>x</b>", 8), ["see <b>x</b>"]);
    }
}
