//! The page model: what one documentation page says, as plain data with line numbers.
//!
//! Everything here is a faithful reading, not an interpretation: names, types and texts are
//! kept as the page writes them (markdown included), so that the later step that drafts specs
//! decides what they mean, and can point a reviewer at the line each fact came from.

use serde::Serialize;
use serde_json::Value;

/// A place in the snapshot: a file relative to the snapshot root and a 1-based line.
///
/// The file is the page itself, or a page-local fragment it includes (`_includes/…` beside
/// the page), whose lines are read in place of the `{% include %}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Loc {
    /// Path relative to the snapshot root, with `/` separators.
    pub file: String,
    /// 1-based line number.
    pub line: u32,
}

/// A value with the place it was read from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where it was read.
    pub loc: Loc,
}

/// What a page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PageKind {
    /// Documents one REST method.
    Method,
    /// Documents one event (what its handler receives).
    Event,
    /// A folder's `index.md` overview.
    Index,
    /// Anything else: guides, field and type pages, widget placements.
    Other,
}

/// Which REST API a method belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ApiVersion {
    /// The classic API, called at `/rest/<method>`.
    V2,
    /// REST 3.0, called at `/rest/api/<method>`.
    V3,
}

/// Where the method name of a page was found, most trusted first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NameSource {
    /// The title ends with it (`# Add Recipients … log.blogpost.share`).
    TitleEnd,
    /// The cURL example's URL ends with it (the title names none, or names another).
    Endpoint,
    /// The title contains it, not at the end (`# Remove the ai.engine.unregister Service`).
    Title,
}

/// The method a page documents.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MethodName {
    /// Wire name, as written (`log.blogpost.share`, `catalog.catalog.getFields`).
    pub name: String,
    /// Where it was read.
    pub source: NameSource,
    /// The line it was read from.
    pub loc: Loc,
}

/// Why a page counts as deprecated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Deprecation {
    /// The note's text before the first section (`The development of this method has been
    /// halted. …`), or empty when only the folder says so.
    pub text: String,
    /// `true` when the page sits in an `outdated/` or `deprecated/` folder.
    pub by_folder: bool,
    /// The note's first line, or the title when only the folder says so.
    pub loc: Loc,
}

/// The `> Scope:` line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scope {
    /// Each backticked scope code (`crm`, `user_brief`), in order.
    pub scopes: Vec<String>,
    /// The line as written, without the `>` marker.
    pub raw: String,
    /// Where it was read.
    pub loc: Loc,
}

/// Who may call the method (or subscribe to the event).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Access {
    /// The text after the colon (`administrator or message author`).
    pub who: String,
    /// The line as written.
    pub raw: String,
    /// Where it was read.
    pub loc: Loc,
}

/// A shared snippet the page includes from the snapshot's top-level `_includes/`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Include {
    /// What the snippet is.
    pub kind: IncludeKind,
    /// The target, resolved against the page and relative to the snapshot root.
    pub target: String,
    /// Where the `{% include %}` is.
    pub loc: Loc,
}

/// The shared snippets the pages use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IncludeKind {
    /// `required.md`: "Required parameters are marked with *".
    RequiredNote,
    /// `examples.md`: the note on code examples.
    ExamplesNote,
    /// `system-errors.md`: the table of errors any method may return.
    SystemErrors,
    /// `error-info.md`: how classic errors are shaped.
    ErrorInfo,
    /// `error-info-v3.md`: how REST 3.0 errors are shaped.
    ErrorInfoV3,
    /// `auth-params-in-events.md`: the `auth` object of event payloads.
    EventAuth,
    /// Another snippet.
    Other,
}

/// One parameter table: the first one of a parameter section, or a sub-table describing a
/// parameter's fields under an H3/H4 named after it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamTable {
    /// The H2 the table sits in (`Method Parameters`, `Returned Data`, …).
    pub section: String,
    /// The nearest H3/H4 above the table inside that section, if any.
    pub heading: Option<String>,
    /// That heading's `{#anchor}`, if any.
    pub anchor: Option<String>,
    /// The `{% list tabs %}` tab the table sits in (`Lead`), if any.
    pub tab: Option<String>,
    /// The parameter this table details, when it is a sub-table (`FILTER`, `data.FIELDS`).
    pub parent: Option<String>,
    /// `true` for the first table directly under the section's H2.
    pub first_in_section: bool,
    /// The columns.
    pub layout: Layout,
    /// One entry per row that names a parameter.
    pub rows: Vec<Param>,
    /// The `#|` line.
    pub loc: Loc,
}

/// The columns of a parameter table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Layout {
    /// What each column holds, left to right.
    pub columns: Vec<Column>,
    /// `false` when the table starts with a parameter row, without a header row.
    pub has_header: bool,
    /// The header as read, lower case, for reports (`name/type | description`); tables
    /// without a header get `(no header) name/type | description`.
    pub signature: String,
}

/// What a parameter table's column holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    /// `**NAME***` and the type words, in one cell.
    NameType,
    /// The name alone.
    Name,
    /// The type words alone.
    Type,
    /// The description.
    Description,
    /// The default value.
    Default,
    /// A required flag.
    Required,
    /// Any other column, by its header (`example`, `restrictions`).
    Other(String),
}

/// One row of a parameter table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param {
    /// The bold name, star removed (`POST_ID`, `data.FIELDS`, `UF_...`).
    pub name: String,
    /// `true` when the name carries the star.
    pub required: bool,
    /// The backticked type words, in order (`integer`; `integer`, `string` for "or").
    pub types: Vec<TypeRef>,
    /// The description cell, markdown as written.
    pub description: String,
    /// Values listed as bullets in the description (`` - `UA` — all authorized users ``).
    pub enum_values: Vec<EnumValue>,
    /// The default, from a default column or a "Default …" sentence.
    pub default: Option<String>,
    /// Where the parameter's inner fields are described.
    pub nested: Nested,
    /// Columns other than name, type and description, by header.
    pub extra: Vec<Extra>,
    /// The row's first line.
    pub loc: Loc,
}

/// A type word from a name cell or a type column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeRef {
    /// As written between backticks (`integer`, `crm_multifield[]`, `catalog_price.id`).
    pub name: String,
    /// The link around it, if any (`../data-types.md`, `../data-types.md#time`).
    pub link: Option<String>,
}

/// One value of an enumeration listed as a bullet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EnumValue {
    /// The backticked value (`Y`, `SG<X>`).
    pub value: String,
    /// The text after the dash.
    pub meaning: String,
}

/// Where a parameter's inner structure is described.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Nested {
    /// Nowhere the reader could tell.
    None,
    /// In a sub-table of this page, under the given heading.
    Table {
        /// The heading of the sub-table.
        heading: String,
    },
    /// At an anchor of this page that holds no parameter table.
    Anchor {
        /// The anchor, without `#`.
        anchor: String,
    },
    /// On another page.
    Page {
        /// The link as written.
        link: String,
    },
}

/// A column other than name, type and description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Extra {
    /// The column's header, lower case.
    pub column: String,
    /// The cell, markdown as written.
    pub text: String,
}

/// A cURL request example.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Request {
    /// The tab label (`cURL (Webhook)`), if any.
    pub tab: Option<String>,
    /// How the example authenticates.
    pub auth: Auth,
    /// The URL, as written (with its `**put_your_…**` placeholders).
    pub url: Option<String>,
    /// The method the URL calls (its last segment, without `.json`).
    pub endpoint: Option<String>,
    /// `V3` when the URL goes through `/rest/api/`.
    pub api: Option<ApiVersion>,
    /// The `-d` body, if the command sends one.
    pub body: Option<Body>,
    /// The fence's first line.
    pub loc: Loc,
}

/// How a request example authenticates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Auth {
    /// Webhook code in the URL.
    Webhook,
    /// `auth` token in the body.
    #[serde(rename = "oauth")]
    OAuth,
    /// Neither could be told.
    Unknown,
}

/// A request body from `-d '…'`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Body {
    /// The body after shell quoting is undone.
    pub raw: String,
    /// The parsed JSON, when it parses (possibly after the repairs listed).
    pub json: Option<Value>,
    /// What had to be repaired for it to parse.
    pub repairs: Vec<Repair>,
    /// `true` when the shell would substitute part of it (`$(date …)`, `$id`): the JSON
    /// then holds the substitution's text, not a value.
    pub substituted: bool,
    /// Why it does not parse.
    pub error: Option<String>,
}

/// A JSON example: a response, an error answer or an event payload.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JsonExample {
    /// The nearest H3/H4 above it, if any.
    pub heading: Option<String>,
    /// The tab label, if any.
    pub tab: Option<String>,
    /// The statuses of the last `HTTP Status: **200**` line above it in its section.
    pub statuses: Vec<u16>,
    /// The fence's language (`json`, or empty).
    pub lang: String,
    /// The fence's text.
    pub raw: String,
    /// The parsed JSON, when it parses (possibly after the repairs listed).
    pub json: Option<Value>,
    /// What had to be repaired for it to parse.
    pub repairs: Vec<Repair>,
    /// Why it does not parse.
    pub error: Option<String>,
    /// The fence's first line.
    pub loc: Loc,
}

/// A repair made to a JSON example before it parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Repair {
    /// `//` or `/* */` comments removed.
    Comments,
    /// `...` or `…` placeholders removed (or made `null` where a value was due).
    Ellipsis,
    /// Commas before `}` or `]` (or doubled) removed.
    TrailingCommas,
    /// Raw tabs or line breaks inside strings escaped.
    ControlCharacters,
    /// Backslashes that start no JSON escape doubled.
    InvalidEscapes,
}

/// A page's table of method-specific errors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorTable {
    /// The nearest H3/H4 above it (`Possible Error Codes`, `Request Validation Errors`).
    pub heading: Option<String>,
    /// The tab label, if any.
    pub tab: Option<String>,
    /// The layout, by its columns.
    pub layout: ErrorLayout,
    /// The header as read, lower case (`status | code | description | value`).
    pub signature: String,
    /// `true` when a column gives the HTTP status.
    pub has_status: bool,
    /// REST 3.0: the code the table's rows share (`Error Code: \`BITRIX_…\``).
    pub shared_code: Option<String>,
    /// One entry per row.
    pub rows: Vec<ErrorRow>,
    /// The `#|` line.
    pub loc: Loc,
}

/// The layouts of error tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorLayout {
    /// `code | description | value` (also `code | error message | description`).
    CodeDescriptionValue,
    /// `code | description`.
    CodeDescription,
    /// REST 3.0: `field | error description | how to fix`.
    FieldDescriptionFix,
    /// No code column (`error message | description`, `description | value`): the code is
    /// the empty one of the error example, the text is the only clue.
    DescriptionValue,
    /// Anything else with a code column.
    Other,
}

/// One row of an error table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorRow {
    /// The HTTP status, when a column gives it.
    pub status: Option<u16>,
    /// The code, when the table has a code column.
    pub code: Option<ErrorCode>,
    /// REST 3.0: the field the error is about.
    pub field: Option<String>,
    /// The error's text (`error_description`), markdown as written.
    pub message: String,
    /// What it means, or how to fix it.
    pub meaning: Option<String>,
    /// The row's first line.
    pub loc: Loc,
}

/// An error code as a table writes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorCode {
    /// The cell as written (`` `ACCESS_DENIED` ``, `—`, `Empty string`).
    pub raw: String,
    /// The code the server sends: backticks and quotes removed, `""` for the empty forms.
    pub value: String,
    /// Its shape.
    pub style: CodeStyle,
}

/// The shapes of error codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeStyle {
    /// `ACCESS_DENIED`, `BITRIX_REST_V3_…`.
    UpperSnake,
    /// `0`, `100`, `200040300010`.
    Numeric,
    /// `—`, `""`, "Empty string": the text is the only clue.
    Empty,
    /// Words with spaces (`Invalid parameters.`).
    Sentence,
    /// Anything else (`expired_token`, `wrong_client`).
    Other,
}

/// What an event page says.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventInfo {
    /// The event code from the title (`OnLiveFeedPostAdd`, `CATALOG.PRICE.ON.UPDATE`).
    pub code: Option<String>,
    /// The payload's `event` value (`ONLIVEFEEDPOSTADD`).
    pub payload_code: Option<String>,
    /// The first JSON example of the page: what the handler receives.
    pub payload: Option<JsonExample>,
    /// The tables describing the payload's fields.
    pub fields: Vec<ParamTable>,
}

/// Something the reader could not read, or found missing or contradictory: never silent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    /// Where.
    pub loc: Loc,
    /// Why, as a fixed reason the report groups by.
    pub reason: NoteReason,
    /// Details: the text that could not be read, the parser's error.
    pub detail: String,
}

/// The reasons of [`Note`]s.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteReason {
    /// The reader itself failed on this page (a bug in the reader, never the page's fault):
    /// the page is returned empty but for this note.
    ReaderPanic,
    /// The file could not be read, or is not UTF-8 (read with replacement characters).
    UnreadableFile,
    /// An `{% include %}` whose target is not in the snapshot.
    IncludeMissing,
    /// The page has no `# ` title.
    NoTitle,
    /// A method page without a `> Scope:` line.
    NoScope,
    /// A method page without a "Who can execute" line.
    NoAccess,
    /// A code fence that is never closed.
    UnclosedFence,
    /// A `#|` table that is never closed by `|#`.
    UnclosedTable,
    /// A table row that starts before the previous one ended, or text outside any row.
    BrokenTableRow,
    /// A table whose first row neither is a header nor names a parameter.
    UnknownTableLayout,
    /// A parameter row without a readable bold name.
    ParamWithoutName,
    /// A parameter row without a type word where the table has a type column.
    ParamWithoutType,
    /// A row with fewer cells than the header.
    ShortRow,
    /// A sub-table under an H3/H4 that names no parameter of the page.
    UnmatchedSubTable,
    /// A method page whose parameter section holds no table (and does not say it has none).
    NoParamTable,
    /// The title's method name and the cURL example's endpoint differ.
    NameMismatch,
    /// A cURL command whose `-d` body could not be taken out of the shell quoting.
    RequestUnquotable,
    /// A request body that is not JSON, even after repairs.
    RequestNotJson,
    /// A request body the shell would change (`$(date …)`, `$id`).
    RequestSubstituted,
    /// A cURL command without a URL.
    RequestWithoutUrl,
    /// A response section without any JSON example.
    NoResponseExample,
    /// A response example that is not JSON, even after repairs.
    ResponseNotJson,
    /// An error example that is not JSON, even after repairs.
    ErrorExampleNotJson,
    /// An event page whose title names no event code.
    NoEventCode,
    /// An event page without a payload example.
    NoEventPayload,
    /// An event payload that is not JSON, even after repairs.
    EventPayloadNotJson,
    /// The title's event code and the payload's `event` differ.
    EventCodeMismatch,
}

impl NoteReason {
    /// The reason's name in reports (`request_not_json`).
    pub fn as_str(self) -> &'static str {
        use NoteReason::*;
        match self {
            ReaderPanic => "reader_panic",
            UnreadableFile => "unreadable_file",
            IncludeMissing => "include_missing",
            NoTitle => "no_title",
            NoScope => "no_scope",
            NoAccess => "no_access",
            UnclosedFence => "unclosed_fence",
            UnclosedTable => "unclosed_table",
            BrokenTableRow => "broken_table_row",
            UnknownTableLayout => "unknown_table_layout",
            ParamWithoutName => "param_without_name",
            ParamWithoutType => "param_without_type",
            ShortRow => "short_row",
            UnmatchedSubTable => "unmatched_sub_table",
            NoParamTable => "no_param_table",
            NameMismatch => "name_mismatch",
            RequestUnquotable => "request_unquotable",
            RequestNotJson => "request_not_json",
            RequestSubstituted => "request_substituted",
            RequestWithoutUrl => "request_without_url",
            NoResponseExample => "no_response_example",
            ResponseNotJson => "response_not_json",
            ErrorExampleNotJson => "error_example_not_json",
            NoEventCode => "no_event_code",
            NoEventPayload => "no_event_payload",
            EventPayloadNotJson => "event_payload_not_json",
            EventCodeMismatch => "event_code_mismatch",
        }
    }
}

/// One documentation page, read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Page {
    /// Path relative to the snapshot root (`api-reference/log/log-blogpost-share.md`).
    pub path: String,
    /// The top-level folder under `api-reference/` (`log`), or empty for pages directly in it.
    pub folder: String,
    /// What the page is.
    pub kind: PageKind,
    /// The `# ` title, without its `{#anchor}`.
    pub title: Option<Located<String>>,
    /// The method a method page documents.
    pub method: Option<MethodName>,
    /// The API a method page belongs to.
    pub api: Option<ApiVersion>,
    /// Set when the page is deprecated.
    pub deprecated: Option<Deprecation>,
    /// The `> Scope:` line.
    pub scope: Option<Scope>,
    /// Who may call the method or subscribe to the event.
    pub access: Option<Access>,
    /// The first sentence of prose after the title (`The method … adds …`).
    pub intro: Option<Located<String>>,
    /// Shared snippets the page includes.
    pub includes: Vec<Include>,
    /// `true` when the page says required parameters are marked with `*`.
    pub required_note: bool,
    /// Parameter tables: the first table of each parameter section, and the sub-tables.
    pub params: Vec<ParamTable>,
    /// cURL request examples, in page order.
    pub requests: Vec<Request>,
    /// JSON examples of successful answers, in page order.
    pub responses: Vec<JsonExample>,
    /// The "Returned Data" tables: `result`'s fields, and sub-tables.
    pub returned: Vec<ParamTable>,
    /// Method-specific error tables.
    pub errors: Vec<ErrorTable>,
    /// JSON examples of error answers.
    pub error_examples: Vec<JsonExample>,
    /// What an event page says.
    pub event: Option<EventInfo>,
    /// What could not be read, located.
    pub notes: Vec<Note>,
}

impl Page {
    /// An empty page of the given path; the readers fill it in.
    pub(crate) fn new(path: &str) -> Page {
        Page {
            path: path.to_string(),
            folder: folder_of(path),
            kind: PageKind::Other,
            title: None,
            method: None,
            api: None,
            deprecated: None,
            scope: None,
            access: None,
            intro: None,
            includes: Vec::new(),
            required_note: false,
            params: Vec::new(),
            requests: Vec::new(),
            responses: Vec::new(),
            returned: Vec::new(),
            errors: Vec::new(),
            error_examples: Vec::new(),
            event: None,
            notes: Vec::new(),
        }
    }

    /// The first table of the first parameter section, the one the survey's layout figures
    /// are about.
    pub fn first_param_table(&self) -> Option<&ParamTable> {
        self.params.iter().find(|t| t.first_in_section)
    }

    /// The first cURL example's body, if it has one.
    pub fn first_body(&self) -> Option<&Body> {
        self.requests.first().and_then(|r| r.body.as_ref())
    }
}

/// The top-level folder of a page under `api-reference/` (empty when there is none).
fn folder_of(path: &str) -> String {
    let mut parts = path.split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("api-reference"), Some(folder), Some(_)) => folder.to_string(),
        _ => String::new(),
    }
}
