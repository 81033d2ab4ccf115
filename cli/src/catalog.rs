//! The methods `b24` knows: the generated catalogues (`generated/<scope>.json`, one per scope:
//! each method's spec text, its parameters with the parser of each flag, its errors) joined by
//! name with the generated code (`generated/mod.rs`: each method's typed request, the typed
//! parsers).
//!
//! The JSON is compiled in and parsed once per process, on first use, into a [`OnceLock`]:
//! its `&'static` borrow lets `clap` take names and help texts as they are, without copies
//! and without leaking memory. A catalogue that does not match the code is kept as its error:
//! every run then reports it as an internal error, and the unit tests below keep such a
//! build from being made.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use serde_json::Value;

// The catalogue's shapes are the contract's, which the generator writes with: one definition.
pub use b24_rest_contract::catalog::{
    CustomDef, ErrorDef, FormDef, MethodDef, ParamDef, Parser, ValueTypeDef,
};

use crate::generated;
use crate::params;
use crate::run::Prepared;

/// Decodes a request body into a method's typed request (unknown keys refused), ready to be
/// sent.
pub type Prepare = fn(Value) -> Result<Prepared, String>;

/// Parses one flag value with the SDK's own type into the JSON the request holds.
pub type Parse = fn(&str) -> Result<Value, String>;

/// The catalogue of this build, loaded on first use; its error if it does not match the
/// generated code.
pub fn get() -> Result<&'static Catalog, &'static str> {
    static CATALOG: OnceLock<Result<Catalog, String>> = OnceLock::new();
    CATALOG
        .get_or_init(|| {
            Catalog::load(
                generated::CATALOGUES,
                generated::PREPARE,
                generated::TYPED_PARSERS,
            )
        })
        .as_ref()
        .map_err(String::as_str)
}

/// The specified methods, with the code that reads their flags and calls them.
#[derive(Debug)]
pub struct Catalog {
    /// Every specified method, by scope, then by wire name.
    methods: Vec<MethodDef>,
    /// The grammars and enums the parameters use, by name.
    value_types: Vec<ValueTypeDef>,
    /// Each method's typed request, by wire name.
    prepare: &'static [(&'static str, Prepare)],
    /// The parsers of [`Parser::Typed`], by type name.
    typed_parsers: &'static [(&'static str, Parse)],
}

impl Catalog {
    /// Parses the scopes' catalogues (`catalogues`, JSON, in scope order), and joins them with
    /// the generated code: each method's typed request in `prepare`, and the typed parsers its
    /// flags name in `typed_parsers`. Fails unless both sides name the same methods and every
    /// name resolves. A grammar or enum that several scopes use is kept once.
    pub fn load(
        catalogues: &[&str],
        prepare: &'static [(&'static str, Prepare)],
        typed_parsers: &'static [(&'static str, Parse)],
    ) -> Result<Catalog, String> {
        let mut catalog = Catalog {
            methods: Vec::new(),
            value_types: Vec::new(),
            prepare,
            typed_parsers,
        };
        for json in catalogues {
            let data = b24_rest_contract::catalog::parse(json)
                .map_err(|error| format!("the method catalogue is not readable: {error}"))?;
            catalog.methods.extend(data.methods);
            for value_type in data.value_types {
                if catalog.value_type(&value_type.name).is_none() {
                    catalog.value_types.push(value_type);
                }
            }
        }
        catalog.check()?;
        Ok(catalog)
    }

    /// Every specified method, by scope, then by wire name.
    pub fn methods(&self) -> &[MethodDef] {
        &self.methods
    }

    /// The method called `name`, in any case (the portal matches names without regard to
    /// case), if any.
    pub fn find(&self, name: &str) -> Option<&MethodDef> {
        self.methods
            .iter()
            .find(|method| method.name.eq_ignore_ascii_case(name))
    }

    /// The reader of every record (`--all`) of the list method called `name`: the SDK's
    /// reader of whole lists where the method has one, else its pager.
    pub fn read_all(&self, name: &str) -> Option<crate::list::PrepareAll> {
        generated::READ_ALL
            .iter()
            .chain(generated::PAGES)
            .find(|(method, _)| *method == name)
            .map(|(_, prepare)| *prepare)
    }

    /// Whether `--all` of the method called `name` walks its pages one request at a time
    /// (its pager), rather than the reader of whole lists.
    pub fn walks_pages(&self, name: &str) -> bool {
        generated::PAGES.iter().any(|(method, _)| *method == name)
    }

    /// The typed request of the method called `name`.
    pub fn prepare(&self, name: &str) -> Option<Prepare> {
        self.prepare
            .iter()
            .find(|(method, _)| *method == name)
            .map(|(_, prepare)| *prepare)
    }

    /// One flag value read by `parser`.
    pub fn parse(&self, parser: &Parser, text: &str) -> Result<Value, String> {
        match params::function(parser, self.typed_parsers) {
            Some(parse) => parse(text),
            // `load` made sure every parser resolves.
            None => Err(format!("internal error: no parser {parser:?}")),
        }
    }

    /// The grammars and enums `method`'s flags take, for its help text.
    pub fn value_types<'a>(
        &'a self,
        method: &'a MethodDef,
    ) -> impl Iterator<Item = &'a ValueTypeDef> {
        method
            .value_types
            .iter()
            .filter_map(|name| self.value_type(name))
    }

    /// The grammar or enum called `name` (as specs write it), if a parameter uses one.
    pub fn value_type(&self, name: &str) -> Option<&ValueTypeDef> {
        self.value_types
            .iter()
            .find(|value_type| value_type.name == name)
    }

    /// That the catalogue and the code name the same methods, once each, and that every
    /// parser and value type a method names exists; no typed parser is left unused.
    fn check(&self) -> Result<(), String> {
        let mut code: BTreeMap<&str, usize> = BTreeMap::new();
        for (name, _) in self.prepare {
            *code.entry(name).or_default() += 1;
        }
        let mut seen = BTreeSet::new();
        let mut folded = BTreeSet::new();
        let mut typed_used = BTreeSet::new();
        for method in &self.methods {
            let name = method.name.as_str();
            if !seen.insert(name) {
                return Err(format!("the method catalogue lists `{name}` twice"));
            }
            // Names are found without regard to case, as the portal finds them.
            if !folded.insert(name.to_ascii_lowercase()) {
                return Err(format!(
                    "the method catalogue lists `{name}` twice, in different cases"
                ));
            }
            match code.get(name) {
                Some(1) => {}
                Some(_) => return Err(format!("the generated code has `{name}` twice")),
                None => {
                    return Err(format!(
                        "`{name}` has no typed request in the generated code"
                    ));
                }
            }
            let parsers = method
                .params
                .iter()
                .map(|param| (&param.flag, &param.parser));
            let custom = method
                .custom
                .iter()
                .map(|custom| (&custom.flag, &custom.parser));
            for (flag, parser) in parsers.chain(custom) {
                if params::function(parser, self.typed_parsers).is_none() {
                    return Err(format!(
                        "{name} --{flag}: the generated code has no parser {parser:?}"
                    ));
                }
                if let Parser::Typed(ty) = parser {
                    typed_used.insert(ty.as_str());
                }
            }
            if let Some(missing) = method
                .value_types
                .iter()
                .find(|value_type| self.value_type(value_type).is_none())
            {
                return Err(format!(
                    "{name}: no value type `{missing}` in the catalogue"
                ));
            }
        }
        if let Some(name) = code.keys().find(|name| !seen.contains(*name)) {
            return Err(format!(
                "`{name}` has a typed request in the generated code but is not in the catalogue"
            ));
        }
        if let Some((name, _)) = self
            .typed_parsers
            .iter()
            .find(|(name, _)| !typed_used.contains(name))
        {
            return Err(format!(
                "the generated code has a parser for `{name}`, which no flag uses"
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params;
    use crate::run;

    #[test]
    fn the_generated_catalogue_matches_the_generated_code() {
        let catalog = get().unwrap_or_else(|problem| panic!("{problem}"));
        assert!(!catalog.methods().is_empty());
        assert_eq!(catalog.methods().len(), generated::PREPARE.len());
        for method in catalog.methods() {
            assert!(catalog.prepare(&method.name).is_some(), "{}", method.name);
            assert_eq!(
                catalog.value_types(method).count(),
                method.value_types.len(),
                "{}",
                method.name
            );
        }
    }

    const SHARE_REQUEST: (&str, Prepare) = (
        "log.blogpost.share",
        run::prepare::<b24_rest::log::BlogpostShareRequest>,
    );
    static SHARE: &[(&str, Prepare)] = &[SHARE_REQUEST];
    static DESTINATION: &[(&str, Parse)] = &[(
        "Destination",
        params::text_as::<b24_rest::shared::Destination>,
    )];

    /// A catalogue of `log.blogpost.share` alone, its `--dest` read by `parser`, its value
    /// types `value_types`.
    fn share(parser: &str, value_types: &str) -> String {
        format!(
            r#"{{
  "value_types": [{{"name": "Destination", "summary": "A recipient.", "forms": []}}],
  "methods": [{{
    "name": "log.blogpost.share", "scope": "log", "summary": "Shares.", "access": "Any.",
    "result_type": "boolean", "result": "true.", "safe_to_repeat": false,
    "params": [{{
      "wire": "DEST", "flag": "dest", "value_name": "DESTINATION", "type": "Destination[]",
      "required": true, "list": true, "parser": {parser}, "description": "To whom."
    }}],
    "value_types": {value_types}
  }}]
}}"#
        )
    }

    fn problem(json: &str, prepare: &'static [(&'static str, Prepare)]) -> String {
        Catalog::load(&[json], prepare, DESTINATION).expect_err("a mismatch")
    }

    #[test]
    fn a_matching_catalogue_loads() {
        let json = share(r#"{"typed": "Destination"}"#, r#"["Destination"]"#);
        let catalog = Catalog::load(&[&json], SHARE, DESTINATION).expect("it matches");
        let method = catalog.find("log.blogpost.share").expect("share");
        assert!(catalog.prepare("log.blogpost.share").is_some());
        let parser = &method.params[0].parser;
        assert_eq!(
            catalog.parse(parser, "SG69"),
            Ok(Value::String("SG69".into()))
        );
        assert!(catalog.parse(parser, "sg69").is_err());
        assert_eq!(catalog.value_types(method).count(), 1);
    }

    #[test]
    fn the_scopes_catalogues_are_joined_and_shared_value_types_kept_once() {
        let share = share(r#"{"typed": "Destination"}"#, r#"["Destination"]"#);
        let get = share
            .replace("log.blogpost.share", "log.blogpost.get")
            .replace(r#""scope": "log""#, r#""scope": "sonet""#);
        static BOTH: &[(&str, Prepare)] = &[
            SHARE_REQUEST,
            (
                "log.blogpost.get",
                run::prepare::<b24_rest::log::BlogpostGetRequest>,
            ),
        ];
        let catalog = Catalog::load(&[&share, &get], BOTH, DESTINATION).expect("they match");
        let names: Vec<&str> = catalog.methods().iter().map(|m| m.name.as_str()).collect();
        assert_eq!(names, ["log.blogpost.share", "log.blogpost.get"]);
        assert_eq!(catalog.value_types.len(), 1);
        let error = Catalog::load(&[&share, &share], SHARE, DESTINATION).expect_err("twice");
        assert!(error.contains("twice"), "{error}");
    }

    #[test]
    fn methods_on_one_side_only_are_refused() {
        let json = share(r#""string""#, "[]");
        let error = problem(&json, &[]);
        assert!(error.contains("no typed request"), "{error}");
        static TWO: &[(&str, Prepare)] = &[
            SHARE_REQUEST,
            (
                "log.blogpost.get",
                run::prepare::<b24_rest::log::BlogpostGetRequest>,
            ),
        ];
        let error = Catalog::load(&[&json], TWO, &[]).expect_err("a mismatch");
        assert!(error.contains("`log.blogpost.get`"), "{error}");
        assert!(error.contains("not in the catalogue"), "{error}");
        static TWICE: &[(&str, Prepare)] = &[SHARE_REQUEST, SHARE_REQUEST];
        let error = Catalog::load(&[&json], TWICE, &[]).expect_err("a mismatch");
        assert!(error.contains("twice"), "{error}");
    }

    #[test]
    fn unknown_parsers_and_value_types_are_refused() {
        let error = problem(&share(r#""roman_numeral""#, "[]"), SHARE);
        assert!(error.contains("roman_numeral"), "{error}");
        let error = problem(&share(r#"{"typed": "Nowhere"}"#, "[]"), SHARE);
        assert!(error.contains("no parser"), "{error}");
        // `Destination`'s parser is then unused.
        let error = problem(&share(r#""string""#, "[]"), SHARE);
        assert!(error.contains("no flag uses"), "{error}");
        let error = problem(
            &share(r#"{"typed": "Destination"}"#, r#"["Nowhere"]"#),
            SHARE,
        );
        assert!(error.contains("no value type `Nowhere`"), "{error}");
        let error = problem(&share(r#""string", "flavour": 1"#, "[]"), SHARE);
        assert!(error.contains("unknown field `flavour`"), "{error}");
    }
}
