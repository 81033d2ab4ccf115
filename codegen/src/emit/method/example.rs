//! The `no_run` example in each accessor fn's docs: the method called with the page's first
//! request example, as a user would write it.

use std::collections::BTreeSet;

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::emit::types::is_yes_no;
use crate::model::{Method, Model, TypeRef};
use crate::names;
use crate::spec::FormValue;

/// A `no_run` doctest calling the method with the page's first request example.
pub(super) fn usage_example(model: &Model, method: &Method) -> Option<String> {
    let mut shared = BTreeSet::new();
    let (args, setters) = call_arguments(model, method, &mut shared)?;
    let accessors = method
        .accessor_path
        .iter()
        .map(|segment| names::ident(&names::snake(segment)));
    let fn_name = names::ident(&method.fn_name);
    let imports = shared.iter().map(|name| names::ident(name));
    let body = quote! {
        async fn example(client: &b24_rest::Client) -> Result<(), Box<dyn std::error::Error>> {
            #( use b24_rest::shared::#imports; )*
            let answer = client #( .#accessors() )* .#fn_name( #( #args ),* ) #( #setters )* .await?;
            println!("result: {:?}", answer.result);
            Ok(())
        }
    };
    let file: syn::File = syn::parse2(body).ok()?;
    Some(doctest_lines(&prettyplease::unparse(&file)))
}

/// The accessor fn's arguments (every required parameter: the example's value or a
/// placeholder) and the setters of the optional parameters the example gives; `None` when a
/// required one has no literal form. Shared types the values name go into `shared`.
fn call_arguments(
    model: &Model,
    method: &Method,
    shared: &mut BTreeSet<String>,
) -> Option<(Vec<TokenStream>, Vec<TokenStream>)> {
    let example: Value = method
        .spec
        .examples
        .requests
        .first()
        .and_then(|example| serde_json::from_str(&example.body).ok())
        .unwrap_or(Value::Object(Default::default()));
    let mut args = Vec::new();
    let mut setters = Vec::new();
    for param in &method.params {
        let value = example.get(&param.spec.name);
        if param.spec.required {
            // A value with no literal form (an empty list, whose items' type nothing names)
            // gives way to the placeholder.
            let expr = match value.and_then(|value| argument_expr(model, &param.ty, value, shared))
            {
                Some(expr) => expr,
                None => argument_expr(model, &param.ty, &placeholder(model, &param.ty)?, shared)?,
            };
            args.push(expr);
        } else if let Some(expr) =
            value.and_then(|value| argument_expr(model, &param.ty, value, shared))
        {
            // Optional values that have no literal form (files, say) are left out of the example.
            let ident = names::ident(&param.rust);
            setters.push(quote!(.#ident(#expr)));
        }
    }
    Some((args, setters))
}

/// The printed fn as doctest lines: the fn's first and last lines and the `Ok(())` hidden
/// (`# `), the body unindented, so that the reader sees only the call.
fn doctest_lines(printed: &str) -> String {
    let lines: Vec<&str> = printed.trim_end().lines().collect();
    let mut out = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if i == 0 || i + 1 == lines.len() || line.trim() == "Ok(())" {
            out.push(format!("# {}", line.trim()));
        } else {
            out.push(line.strip_prefix("    ").unwrap_or(line).to_owned());
        }
    }
    out.join("\n")
}

/// A value to show for a required parameter the examples leave out.
fn placeholder(model: &Model, ty: &TypeRef) -> Option<Value> {
    Some(match ty {
        TypeRef::Integer => Value::from(1),
        TypeRef::Double => Value::from(1.5),
        TypeRef::Decimal => Value::from("1.50"),
        TypeRef::Date => Value::from("2026-03-18"),
        TypeRef::DateTime => Value::from("2026-03-18T09:21:18+02:00"),
        TypeRef::String => Value::from("text"),
        TypeRef::Boolean => Value::from(true),
        TypeRef::Grammar(name) => {
            let grammar = model.grammars.iter().find(|g| &g.spec.grammar == name)?;
            let form = grammar.spec.forms.first()?;
            Value::from(match form.value {
                FormValue::None => form.prefix.clone(),
                FormValue::Id => format!("{}1", form.prefix),
                FormValue::Text => format!("{}text", form.prefix),
            })
        }
        TypeRef::Id => Value::from(1),
        TypeRef::Enum(name) => {
            let spec = &model.enums.iter().find(|e| &e.spec.name == name)?.spec;
            Value::from(spec.values.first()?.value.as_str())
        }
        TypeRef::List(inner) => Value::Array(vec![placeholder(model, inner)?]),
        _ => return None,
    })
}

/// Where an expression stands: as an argument of the accessor fn or a setter (or an item of
/// a list argument), which converts (`impl Into<String>` takes `"text"`, a flag `true`), or
/// where only its own type fits (an item of a list that is itself an item: `Vec<String>`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Converted,
    Exact,
}

/// A Rust expression for the JSON `value` of type `ty` as an argument, or `None` when it has
/// no literal form here.
fn argument_expr(
    model: &Model,
    ty: &TypeRef,
    value: &Value,
    shared: &mut BTreeSet<String>,
) -> Option<TokenStream> {
    example_expr(model, ty, value, Place::Converted, shared)
}

/// A Rust expression for the JSON `value` of type `ty` in `place`, or `None` when it has no
/// literal form here.
fn example_expr(
    model: &Model,
    ty: &TypeRef,
    value: &Value,
    place: Place,
    shared: &mut BTreeSet<String>,
) -> Option<TokenStream> {
    Some(match ty {
        TypeRef::Integer => {
            let literal = Literal::i64_unsuffixed(value.as_i64()?);
            quote!(#literal)
        }
        TypeRef::Double => {
            let literal = Literal::f64_unsuffixed(value.as_f64()?);
            quote!(#literal)
        }
        TypeRef::Decimal => {
            // Text stays text (`"5000.00"`), a number a number; both convert into `Decimal`.
            let literal = match value {
                Value::String(text) => quote!(#text),
                Value::Number(number) => match number.as_i64() {
                    Some(integer) => {
                        let literal = Literal::i64_unsuffixed(integer);
                        quote!(#literal)
                    }
                    None => {
                        let literal = Literal::f64_unsuffixed(number.as_f64()?);
                        quote!(#literal)
                    }
                },
                _ => return None,
            };
            match place {
                Place::Converted => literal,
                Place::Exact => quote!(b24_rest::Decimal::from(#literal)),
            }
        }
        TypeRef::String => {
            let text = value.as_str()?;
            match place {
                Place::Converted => quote!(#text),
                Place::Exact => quote!(#text.to_owned()),
            }
        }
        TypeRef::Date | TypeRef::DateTime => {
            let text = value.as_str()?;
            let ty = if *ty == TypeRef::Date {
                quote!(b24_rest::Date)
            } else {
                quote!(b24_rest::DateTime)
            };
            quote!(#text.parse::<#ty>()?)
        }
        TypeRef::Boolean => {
            let flag = value.as_bool()?;
            quote!(#flag)
        }
        TypeRef::Grammar(name) => grammar_expr(model, name, value, shared)?,
        TypeRef::Id => {
            let literal = Literal::i64_unsuffixed(value.as_i64()?);
            quote!(b24_rest::Id(#literal))
        }
        // The example's content is a placeholder: show reading a real file of that name.
        TypeRef::File => {
            let name = value.as_array()?.first()?.as_str()?;
            quote!(b24_rest::FileUpload::new(#name, std::fs::read(#name)?))
        }
        TypeRef::FileChange => file_changes_expr(model, value, shared)?,
        TypeRef::Enum(name) => enum_expr(model, name, value, place, shared)?,
        TypeRef::List(inner) => list_expr(model, inner, value, place, shared)?,
        _ => return None,
    })
}

/// A grammar value as its variant: the longest prefix the text starts with picks the form.
fn grammar_expr(
    model: &Model,
    name: &str,
    value: &Value,
    shared: &mut BTreeSet<String>,
) -> Option<TokenStream> {
    let text = value.as_str()?;
    let grammar = model.grammars.iter().find(|g| g.spec.grammar == name)?;
    let mut forms: Vec<_> = grammar.spec.forms.iter().collect();
    forms.sort_by_key(|form| std::cmp::Reverse(form.prefix.len()));
    let form = forms
        .into_iter()
        .find(|form| text.starts_with(&form.prefix))?;
    let rest = &text[form.prefix.len()..];
    shared.insert(name.to_owned());
    let ty = names::ident(name);
    let variant = names::ident(&form.name);
    Some(match form.value {
        FormValue::None if rest.is_empty() => quote!(#ty::#variant),
        FormValue::Id => {
            let id = Literal::u64_unsuffixed(rest.parse().ok()?);
            quote!(#ty::#variant(#id))
        }
        FormValue::Text if !rest.is_empty() => quote!(#ty::#variant(#rest.to_owned())),
        _ => return None,
    })
}

/// Files to attach (an array of files) or attachments to remove (an object keyed by id).
fn file_changes_expr(
    model: &Model,
    value: &Value,
    shared: &mut BTreeSet<String>,
) -> Option<TokenStream> {
    Some(match value {
        serde_json::Value::Object(map) => {
            let ids = map
                .keys()
                .map(|key| key.parse::<i64>().ok().map(Literal::i64_unsuffixed))
                .collect::<Option<Vec<_>>>()?;
            quote!(b24_rest::FileChanges::delete([ #( b24_rest::Id(#ids) ),* ]))
        }
        serde_json::Value::Array(items) => {
            let files = items
                .iter()
                .map(|item| example_expr(model, &TypeRef::File, item, Place::Exact, shared))
                .collect::<Option<Vec<_>>>()?;
            quote!(b24_rest::FileChanges::upload([ #( #files ),* ]))
        }
        _ => return None,
    })
}

/// An enum value (text, or a number for a numeric enum) as its variant; a yes/no flag as
/// `true` or `false` where it converts.
fn enum_expr(
    model: &Model,
    name: &str,
    value: &Value,
    place: Place,
    shared: &mut BTreeSet<String>,
) -> Option<TokenStream> {
    let text = match value {
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        _ => return None,
    };
    let text = text.as_str();
    let item = model.enums.iter().find(|e| e.spec.name == name)?;
    if place == Place::Converted && is_yes_no(item) && matches!(text, "Y" | "N") {
        let flag = text == "Y";
        return Some(quote!(#flag));
    }
    let spec = &item.spec;
    let variant = names::ident(&spec.values.iter().find(|v| v.value.as_str() == text)?.name);
    shared.insert(name.to_owned());
    let ty = names::ident(name);
    Some(quote!(#ty::#variant))
}

/// A list: as an argument any iterable of values that convert into its items (an array, the
/// shortest); as an item of a list, a `Vec` of exactly its items (`Vec<String>` takes no
/// `["a"]`).
fn list_expr(
    model: &Model,
    inner: &TypeRef,
    value: &Value,
    place: Place,
    shared: &mut BTreeSet<String>,
) -> Option<TokenStream> {
    // An item that is itself a list must be a `Vec` of its own type.
    let item_place = if matches!(inner, TypeRef::List(_)) {
        Place::Exact
    } else {
        place
    };
    let items = value
        .as_array()?
        .iter()
        .map(|item| example_expr(model, inner, item, item_place, shared))
        .collect::<Option<Vec<_>>>()?;
    // An empty one names no type for its items, so it has no literal form here.
    if items.is_empty() {
        return None;
    }
    Some(match place {
        Place::Converted => quote!([ #( #items ),* ]),
        Place::Exact => quote!(Vec::from([ #( #items ),* ])),
    })
}
