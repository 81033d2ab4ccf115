//! The spec format: what a maintainer writes in `spec/**/*.yaml`, exactly as written.
//!
//! These structs mirror the YAML one to one (unknown keys are rejected) and carry no
//! resolved meaning: type expressions are still strings and references are still names.
//! [`crate::validate`] checks them and [`crate::model`] resolves them. `spec/README.md`
//! documents every key; the JSON Schemas in `spec/schema/` are derived from these types.

use schemars::JsonSchema;
use serde::Deserialize;

/// One Bitrix24 REST method: `spec/<scope>/<method>.yaml`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MethodSpec {
    /// Wire name of the method, e.g. `log.blogpost.share`. Its first segment is the scope.
    pub method: String,
    /// Permission scope the method needs (`log`).
    pub scope: String,
    /// Page title of the official documentation.
    pub title: String,
    /// One sentence: what the method does.
    pub summary: String,
    /// Longer explanation, markdown.
    #[serde(default)]
    pub description: Option<String>,
    /// Who may call the method ("Administrator or message author").
    pub access: String,
    /// Address of the official documentation page.
    #[serde(default)]
    pub docs: Option<String>,
    /// Whether sending the same call twice is harmless. `false` for anything that posts,
    /// notifies or creates: after an ambiguous failure such a call is never re-sent.
    pub safe_to_repeat: bool,
    /// Why the method is (not) safe to repeat; shown in the docs.
    #[serde(default)]
    pub repeat_note: Option<String>,
    /// Whether the method may run inside `batch`.
    pub batch: bool,
    /// Parameters in the order the official page lists them (also the JSON key order).
    #[serde(default)]
    pub params: Vec<ParamSpec>,
    /// What `result` holds on success.
    pub result: ResultSpec,
    /// The method's own errors: the page's table plus failures seen from real servers.
    #[serde(default)]
    pub errors: Vec<ErrorSpec>,
    /// The page's examples, checked by generated conformance tests.
    #[serde(default)]
    pub examples: ExamplesSpec,
    /// How a list method pages through its results, if it does.
    #[serde(default)]
    pub paging: Option<PagingSpec>,
    /// With `paging:`, for a list wrapped in an object (`{"items": [...]}`): the wire name of
    /// the result's field that holds a page's records. The field is typed `T[]` (its records
    /// are `T`) or `any` (its records are JSON values).
    #[serde(default)]
    pub page_records: Option<String>,
    /// With `paging:` and `page_records`: a `boolean` field of the result that is false on
    /// the last page (`hasMore`).
    #[serde(default)]
    pub page_more: Option<String>,
    /// With `paging: offset` or `pagination` and `page_records`: a field of the result that
    /// names where the following page starts (`nextOffset`, `nextCursor`), sent back as the
    /// offset or as `pagination.afterCursor`; the last page names none.
    #[serde(default)]
    pub page_next: Option<String>,
    /// For a list method: how it spells filter, order, select and the id, and the fields a
    /// query may name; what reading the whole list and the typed query builders need.
    #[serde(default)]
    pub list: Option<ListSpec>,
    /// Parameters the page leaves open, such as custom `UF_*` fields: sent as given, after the
    /// named parameters.
    #[serde(default)]
    pub custom_params: Option<OpenFieldsSpec>,
    /// The method's own objects (same keys as `spec/shared/objects/*.yaml`): a type name in
    /// this spec means one of them before a shared definition. Their Rust types live in the
    /// method's module (`b24_rest::<scope>::<Name>`).
    #[serde(default)]
    pub objects: Vec<ObjectSpec>,
    /// The REST version the method belongs to: `v2` (the classic `/rest/…`, the default) or
    /// `v3` (REST 3.0, called at `/rest/api/…`). A v3 spec lives in `<method>.v3.yaml`.
    #[serde(default)]
    pub api: ApiVersion,
    /// The Rust name of the method's accessor fn, snake_case (`get_v3`); also the base of its
    /// type names (`TaskGetV3Request`). Defaults to the wire name's last segment. Lets a v2
    /// and a v3 spec of one wire name live side by side.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// The permission scope codes the page's `> Scope:` line names (`task`, `crm`), shown in
    /// the docs.
    #[serde(default)]
    pub permission: Vec<String>,
    /// The documentation page the spec was drafted or curated from, with the hash of the
    /// version read: data for `cargo xtask import`.
    #[serde(default)]
    pub source: Option<SourceSpec>,
    /// Set when the page marks the method deprecated: why, and what to use instead. The
    /// request type and the accessor fn are then `#[deprecated]` with this note.
    #[serde(default)]
    pub deprecated: Option<String>,
}

/// The REST version a method belongs to.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ApiVersion {
    /// The classic REST API: `https://<portal>/rest/<user_id>/<code>/<method>` (webhook) or
    /// `https://<portal>/rest/<method>` (OAuth).
    #[default]
    V2,
    /// REST 3.0: `https://<portal>/rest/api/<user_id>/<code>/<method>` (webhook) or
    /// `https://<portal>/rest/api/<method>` (OAuth); errors are `{"error": {"code",
    /// "message"}}`; not callable inside the classic `batch`.
    V3,
}

/// The documentation page a spec comes from (`source:`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceSpec {
    /// The page, relative to the docs snapshot's root
    /// (`api-reference/log/log-blogpost-share.md`).
    pub page: String,
    /// SHA-256 of the page file's bytes, 64 lowercase hex digits.
    pub sha256: String,
}

/// How a list method pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PagingSpec {
    /// The `start` parameter skips that many records (pages of 50); answers carry `next`
    /// (absent on the last page) and `total`. The one shape `read_all` (`list:`) reads.
    Start,
    /// An `offset` parameter skips that many records and an optional `limit` parameter sets the
    /// page size (either spelt in any case: `OFFSET`, `LIMIT`).
    Offset,
    /// A `page` parameter numbers the pages from 1 (any case: `PAGE`).
    Page,
    /// A `NAV_PARAMS` (or `navParams`) object parameter: `{"nPageSize": 50, "iNumPage": 2}`.
    NavParams,
    /// REST 3.0: a `pagination` object parameter, `{"page": 1, "limit": 50, "offset": 0}`.
    Pagination,
}

impl PagingSpec {
    /// The shape's name in a spec (`nav_params`).
    pub fn key(self) -> &'static str {
        match self {
            PagingSpec::Start => "start",
            PagingSpec::Offset => "offset",
            PagingSpec::Page => "page",
            PagingSpec::NavParams => "nav_params",
            PagingSpec::Pagination => "pagination",
        }
    }
}

/// How a list method spells its query and its records (`list:`), for reading whole lists
/// and for the typed query builders. Every key is optional.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListSpec {
    /// The filter parameter's wire name (`filter`, `FILTER`): a parameter of type `any`.
    #[serde(default)]
    pub filter: Option<String>,
    /// The order parameter's wire name (`order`, `ORDER`, `SORT`): a parameter of type `any`.
    #[serde(default)]
    pub order: Option<String>,
    /// The select parameter's wire name (`select`, `SELECT`): a parameter of type `any`.
    #[serde(default)]
    pub select: Option<String>,
    /// Where the records are in `result` (`[items]` for `result.items`); empty when `result`
    /// is the list.
    #[serde(default)]
    pub items: Vec<String>,
    /// A record's id key (`ID`, `id`): a number that identifies it and never changes.
    #[serde(default)]
    pub id: Option<String>,
    /// The id as filter and order spell it (`ID`), when the method sorts and filters by it:
    /// reading by id windows. Needs `filter` and `order`.
    #[serde(default)]
    pub id_window: Option<String>,
    /// Whether `start = -1` reads one page without counting `total`.
    #[serde(default)]
    pub start_minus_one: bool,
    /// Records per page (default 50).
    #[serde(default)]
    pub page_size: Option<u32>,
    /// How the filter spells an `OR` group's logic key (`LOGIC`, `logic`), if the page allows
    /// groups: `{"0": {"LOGIC": "OR", "0": {…}, "1": {…}}}`.
    #[serde(default)]
    pub logic: Option<String>,
    /// The fields a query may name, in the page's order; without them the query stays open
    /// (keys by name only).
    #[serde(default)]
    pub fields: Vec<ListFieldSpec>,
}

/// A field a list query may filter, order or select by.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ListFieldSpec {
    /// The field's key as filter, order and select spell it (`DATE_CREATE`).
    pub name: String,
    /// Type of its values in a filter (`integer`, `string`, `datetime`, an enum's name).
    #[serde(rename = "type")]
    pub ty: String,
    /// What the field holds.
    #[serde(default)]
    pub description: Option<String>,
    /// The filter operators the page allows on it; none: not filterable.
    #[serde(default)]
    pub filter: Vec<FilterOp>,
    /// Whether the list can be ordered by it.
    #[serde(default)]
    pub order: bool,
    /// Whether it can be selected.
    #[serde(default)]
    pub select: bool,
}

/// A filter operator: the prefix of a filter key (`>=DATE_CREATE`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema)]
pub enum FilterOp {
    /// `=`: equal (also a list of values: any of them).
    #[serde(rename = "=")]
    Eq,
    /// `!`: not equal.
    #[serde(rename = "!")]
    Ne,
    /// `>`: greater than.
    #[serde(rename = ">")]
    Gt,
    /// `>=`: greater than or equal.
    #[serde(rename = ">=")]
    Ge,
    /// `<`: less than.
    #[serde(rename = "<")]
    Lt,
    /// `<=`: less than or equal.
    #[serde(rename = "<=")]
    Le,
    /// `%`: contains the text (`LIKE '%value%'`).
    #[serde(rename = "%")]
    Contains,
    /// `=%`: matches a `LIKE` pattern (`Mol%`).
    #[serde(rename = "=%")]
    Like,
    /// `%=`: matches a `LIKE` pattern, written the other way (`%=`).
    #[serde(rename = "%=")]
    LikeEnd,
    /// `@`: one of a list.
    #[serde(rename = "@")]
    In,
    /// `!@`: none of a list.
    #[serde(rename = "!@")]
    NotIn,
}

impl FilterOp {
    /// The prefix on the wire.
    pub fn prefix(self) -> &'static str {
        match self {
            FilterOp::Eq => "=",
            FilterOp::Ne => "!",
            FilterOp::Gt => ">",
            FilterOp::Ge => ">=",
            FilterOp::Lt => "<",
            FilterOp::Le => "<=",
            FilterOp::Contains => "%",
            FilterOp::Like => "=%",
            FilterOp::LikeEnd => "%=",
            FilterOp::In => "@",
            FilterOp::NotIn => "!@",
        }
    }

    /// Whether the operator takes a list of values.
    pub fn takes_list(self) -> bool {
        matches!(self, FilterOp::In | FilterOp::NotIn)
    }
}

/// Keys a spec does not name one by one (custom `UF_*` fields): kept in a map.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenFieldsSpec {
    /// Rust name of the map (`custom_fields`).
    pub name: String,
    /// Type of each value.
    #[serde(rename = "type")]
    pub ty: String,
    /// What the keys and values are.
    pub description: String,
}

/// One method parameter.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ParamSpec {
    /// Key on the wire, case-sensitive (`POST_ID`).
    pub name: String,
    /// Type expression: a built-in (`integer`, `double`, `decimal`, `string`, `boolean`, `id`,
    /// `date`, `datetime`, `file`, `file_changes`, `secret`, `any`), a shared definition's name
    /// (`Destination`), or any of these followed by `[]` for a list or `{}` for a map.
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether the caller must pass it (marked `*` on the page).
    #[serde(default)]
    pub required: bool,
    /// The page's description, markdown.
    pub description: String,
    /// What the server assumes when the parameter is left out, in words.
    #[serde(default)]
    pub default: Option<String>,
    /// Methods that return valid values for this parameter (`log.blogpost.get`).
    #[serde(default)]
    pub obtain_from: Vec<String>,
    /// The Rust name of the field and its setter, snake_case (`sort_upper` for `SORT` beside
    /// `sort`); defaults to the key in snake_case.
    #[serde(default)]
    pub rust_name: Option<String>,
    /// Other keys accepted for this parameter when a request is read from JSON (`#[serde(alias)]`);
    /// it is always sent under `name`.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// The success `result`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResultSpec {
    /// Type expression, as for parameters.
    #[serde(rename = "type")]
    pub ty: String,
    /// The page's description of the result.
    pub description: String,
}

/// How an error's `error_description` is compared with the spec's text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum MatchMode {
    /// Equal after trimming white space.
    #[default]
    Exact,
    /// The server's text contains the spec's text (localised texts that may be joined).
    Contains,
    /// The spec's text with `{field}` placeholders; each placeholder captures a field.
    /// `{{` and `}}` stand for literal braces.
    Pattern,
    /// The code alone identifies the row, whatever the text (localised portals); the code
    /// must not be empty.
    Code,
}

/// One row of a method's error table.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorSpec {
    /// Variant name, UpperCamelCase (`WrongPostId`).
    pub name: String,
    /// HTTP status the server answers with.
    pub status: u16,
    /// The `error` code; `""` where the page shows `—`.
    #[serde(default)]
    pub code: String,
    /// The `error_description` text (documented one where the row is on the page).
    pub description: String,
    /// What the error means: the page's "Value" column.
    pub meaning: String,
    /// How `description` is compared with the server's text.
    #[serde(default, rename = "match")]
    pub mode: MatchMode,
    /// `false` for failures the page leaves out but real servers send.
    #[serde(default = "default_true")]
    pub documented: bool,
    /// Other (code, text) pairs that mean the same failure: real or localised texts,
    /// codes of older servers.
    #[serde(default)]
    pub also: Vec<AlternativeSpec>,
    /// Values captured from the text by `{name}` placeholders (with `match: pattern`).
    #[serde(default)]
    pub fields: Vec<FieldSpec>,
}

fn default_true() -> bool {
    true
}

/// Another way the server reports the same error row.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AlternativeSpec {
    /// The `error` code; defaults to the row's code.
    #[serde(default)]
    pub code: Option<String>,
    /// The `error_description`; defaults to the row's description.
    #[serde(default)]
    pub description: Option<String>,
    /// Comparison mode; defaults to the row's.
    #[serde(default, rename = "match")]
    pub mode: Option<MatchMode>,
    /// Where this form comes from ("servers before 2023", "Russian portals").
    pub note: String,
}

/// A named, typed value: an object field or a value captured from an error text.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldSpec {
    /// Key on the wire (object fields) or placeholder name (error captures).
    pub name: String,
    /// Type expression.
    #[serde(rename = "type")]
    pub ty: String,
    /// Whether the field is always present.
    #[serde(default)]
    pub required: bool,
    /// What the field holds.
    pub description: String,
    /// Other keys the server uses for the same field (`COMMENTS` for `comments`).
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// Examples from the official page.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ExamplesSpec {
    /// Request bodies: each must decode into the request and encode back byte for byte.
    #[serde(default)]
    pub requests: Vec<RequestExample>,
    /// Response bodies with their status and the outcome they must decode to.
    #[serde(default)]
    pub responses: Vec<ResponseExample>,
}

/// A request body example.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestExample {
    /// What the example shows.
    pub name: String,
    /// The JSON body exactly as sent (compact, keys in parameter order).
    pub body: String,
}

/// A response example.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ResponseExample {
    /// What the example shows.
    pub name: String,
    /// HTTP status.
    pub status: u16,
    /// The body exactly as the server sends it.
    pub body: String,
    /// The method error row this answer must decode to; absent for a success.
    #[serde(default)]
    pub error: Option<String>,
    /// The system error code this answer must decode to.
    #[serde(default)]
    pub system_error: Option<String>,
}

/// A string grammar shared by several methods: `spec/shared/grammars/<Name>.yaml`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrammarSpec {
    /// Type name, UpperCamelCase (`Destination`).
    pub grammar: String,
    /// One sentence: what a value names.
    pub summary: String,
    /// Longer explanation, markdown.
    #[serde(default)]
    pub description: Option<String>,
    /// The forms a value may take; each is a fixed prefix plus an optional value.
    pub forms: Vec<GrammarFormSpec>,
}

/// What follows a grammar form's prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FormValue {
    /// Nothing: the prefix alone is the whole value (`UA`).
    None,
    /// A decimal identifier: ASCII digits, no sign, no leading zero (`SG69`).
    Id,
    /// Any non-empty text (`UE<email>`).
    Text,
}

/// One form of a grammar.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GrammarFormSpec {
    /// The exact, case-sensitive prefix: visible ASCII without white space (`SG`, `chat`), or
    /// empty before a bare id (`value: id`).
    pub prefix: String,
    /// Variant name, UpperCamelCase (`Group`).
    pub name: String,
    /// What follows the prefix.
    pub value: FormValue,
    /// What the form addresses.
    pub description: String,
    /// Methods that return valid identifiers for this form.
    #[serde(default)]
    pub obtain_from: Vec<String>,
    /// `false` for forms the server accepts but the page does not list.
    #[serde(default = "default_true")]
    pub documented: bool,
}

/// A JSON object shared by several methods: `spec/shared/objects/<Name>.yaml`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectSpec {
    /// Type name, UpperCamelCase (`BlogPost`).
    pub object: String,
    /// One sentence: what the object describes.
    pub summary: String,
    /// Longer explanation, markdown.
    #[serde(default)]
    pub description: Option<String>,
    /// Fields in wire order. Unknown extra fields in answers are tolerated.
    pub fields: Vec<FieldSpec>,
    /// Keys the spec does not name (custom `UF_*` fields): kept in a map instead of dropped.
    #[serde(default)]
    pub other_fields: Option<OpenFieldsSpec>,
}

/// A closed set of string values shared by several methods: `spec/shared/enums/<Name>.yaml`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumSpec {
    /// Type name, UpperCamelCase (`YesNo`).
    #[serde(rename = "enum")]
    pub name: String,
    /// One sentence: what the value says.
    pub summary: String,
    /// Longer explanation, markdown.
    #[serde(default)]
    pub description: Option<String>,
    /// The values, as sent on the wire.
    pub values: Vec<EnumValueSpec>,
    /// Whether the server may send values the spec does not list; they are then kept in an
    /// `Other(String)` variant instead of failing the decoding.
    #[serde(default)]
    pub open: bool,
}

/// One value of an enum.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EnumValueSpec {
    /// The value on the wire: text (`Y`, `"1"`) or a whole number (`1`), which goes out as a
    /// JSON number and is read from a number or its text.
    #[schemars(with = "EnumWireSchema")]
    pub value: EnumWire,
    /// Variant name, UpperCamelCase (`Yes`).
    pub name: String,
    /// What it means.
    pub description: String,
}

/// An event the portal sends to a handler: `spec/<scope>/events/<Name>.yaml`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EventSpec {
    /// Type name, UpperCamelCase (`OnLiveFeedPostAdd`).
    pub event: String,
    /// The `event` code in the payload (`ONLIVEFEEDPOSTADD`).
    pub code: String,
    /// Permission scope.
    pub scope: String,
    /// Page title of the official documentation.
    pub title: String,
    /// One sentence: when the event fires.
    pub summary: String,
    /// Who may subscribe.
    pub access: String,
    /// Address of the official documentation page.
    #[serde(default)]
    pub docs: Option<String>,
    /// The fields of `data.FIELDS`.
    pub fields: Vec<FieldSpec>,
    /// Payloads from the page, checked by generated tests.
    #[serde(default)]
    pub examples: Vec<RequestExample>,
    /// The documentation page the spec was drafted or curated from (data for the importer).
    #[serde(default)]
    pub source: Option<SourceSpec>,
}

/// An enum value as written: text, or a whole number (a YAML integer, not quoted).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EnumWire {
    /// The value as text (`Y`, `1`).
    pub text: String,
    /// Whether it was written as a number (`value: 1`).
    pub number: bool,
}

impl EnumWire {
    /// The value as text (a number in decimal).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl<'de> Deserialize<'de> for EnumWire {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct WireVisitor;

        impl serde::de::Visitor<'_> for WireVisitor {
            type Value = EnumWire;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string or a whole number")
            }

            fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<EnumWire, E> {
                Ok(EnumWire {
                    text: text.to_owned(),
                    number: false,
                })
            }

            fn visit_i64<E: serde::de::Error>(self, number: i64) -> Result<EnumWire, E> {
                Ok(EnumWire {
                    text: number.to_string(),
                    number: true,
                })
            }

            fn visit_u64<E: serde::de::Error>(self, number: u64) -> Result<EnumWire, E> {
                i64::try_from(number)
                    .map_err(|_| E::custom("a number enum value must fit in 64 bits"))
                    .and_then(|number| self.visit_i64(number))
            }
        }

        deserializer.deserialize_any(WireVisitor)
    }
}

/// An enum value on the wire: text (`Y`), or a whole number (`1`) sent as a JSON number.
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum EnumWireSchema {
    Text(String),
    Number(i64),
}
