//! The accessor tree of a scope: `client.log().blogpost().share(…)` is one struct per group
//! of methods (`LogApi`, `LogBlogpostApi`), each with a fn per group or method below it.

use std::collections::BTreeMap;

use super::method::Method;
use crate::diag::{KeyPath, SpecError};
use crate::load::Source;
use crate::names;
use crate::spec::MethodSpec;

/// An accessor struct: one per scope and per group of methods (`LogBlogpostApi`).
#[derive(Debug, Clone)]
pub struct Accessor {
    /// Struct name.
    pub type_name: String,
    /// Wire segments from the scope down to this group (`["log", "blogpost"]`).
    pub path: Vec<String>,
    /// Nested groups: (fn name, accessor).
    pub children: Vec<(String, Accessor)>,
}

impl Accessor {
    /// This accessor and every one below it, each before its children's children (the
    /// order the generator lists their type names in).
    pub fn all(&self) -> Vec<&Accessor> {
        let mut all = Vec::new();
        let mut pending = vec![self];
        while let Some(accessor) = pending.pop() {
            all.push(accessor);
            pending.extend(accessor.children.iter().map(|(_, child)| child));
        }
        all
    }
}

/// Builds the accessor tree of a scope; reports a group and a method that share a fn name.
pub(super) fn accessor_tree(
    scope: &str,
    methods: &[Method],
    sources: &BTreeMap<&str, &Source<MethodSpec>>,
    errors: &mut Vec<SpecError>,
) -> Accessor {
    let mut root = Accessor {
        type_name: names::accessor_type(scope, &[]),
        path: vec![scope.to_owned()],
        children: Vec::new(),
    };
    for method in methods {
        add_groups(&mut root, scope, &groups(method));
    }
    for method in methods {
        check_fn_clash(&root, method, sources, errors);
    }
    root
}

/// The groups of a method: the segments between its module and the method's own.
fn groups(method: &Method) -> Vec<&str> {
    super::method::wire_groups(&method.spec).collect()
}

/// Adds the accessors of `groups` under `root` where they are not yet there.
fn add_groups(root: &mut Accessor, scope: &str, groups: &[&str]) {
    let mut node = root;
    for (depth, group) in groups.iter().enumerate() {
        let fn_name = names::snake(group);
        let position = match node.children.iter().position(|(name, _)| *name == fn_name) {
            Some(position) => position,
            None => {
                let mut path = node.path.clone();
                path.push((*group).to_owned());
                let child = Accessor {
                    type_name: names::accessor_type(scope, &groups[..=depth]),
                    path,
                    children: Vec::new(),
                };
                node.children.push((fn_name, child));
                node.children.len() - 1
            }
        };
        node = &mut node.children[position].1;
    }
}

/// A method fn may not share its name with a group fn on the same accessor.
fn check_fn_clash(
    root: &Accessor,
    method: &Method,
    sources: &BTreeMap<&str, &Source<MethodSpec>>,
    errors: &mut Vec<SpecError>,
) {
    let mut node = root;
    for group in groups(method) {
        let fn_name = names::snake(group);
        match node.children.iter().find(|(name, _)| *name == fn_name) {
            Some((_, child)) => node = child,
            None => break,
        }
    }
    if node
        .children
        .iter()
        .any(|(name, _)| *name == method.fn_name)
    {
        let message = format!(
            "`{}` ends in `{}`, which is also a group of methods under `{}`: the accessor `{}()` would mean both",
            method.spec.method,
            method.fn_name,
            node.path.join("."),
            method.fn_name
        );
        errors
            .push(sources[method.file.as_str()].error_at(&KeyPath::root().key("method"), message));
    }
}
