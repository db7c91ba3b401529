//! The crate's top-level modules depend on each other without a cycle: a
//! module that needs another's type is the one that imports it, and never
//! the other way round too. A cycle makes two modules one concern in two
//! files (`config` and `question_log` once imported each other), so this
//! reads every `crate::NAME` path in `src/` (imports, paths in code, test
//! modules and doc links alike), builds the graph between top-level
//! modules, and fails naming each edge of a cycle and where it comes from.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Top-level module → modules it names → the first `file:line` naming it.
type Graph = BTreeMap<String, BTreeMap<String, String>>;

#[test]
fn top_level_modules_depend_on_each_other_without_a_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = graph(&src);
    // The scan sees what it must: the edge the cycle once went through.
    assert!(
        graph
            .get("config")
            .is_some_and(|uses| uses.contains_key("question_log")),
        "{graph:#?}"
    );
    if let Some(cycle) = find_cycle(&graph) {
        let edges: Vec<String> = cycle
            .windows(2)
            .map(|pair| {
                format!(
                    "  {} → {} ({})",
                    pair[0], pair[1], graph[&pair[0]][&pair[1]]
                )
            })
            .collect();
        panic!(
            "the top-level modules depend on each other in a cycle:\n{}\nmove what both need into the one that is used, or into a module of its own",
            edges.join("\n")
        );
    }
}

/// The benchmark and test generators are not part of the shipped library:
/// `synthetic` is compiled only for tests and under the `synthetic` feature,
/// which only the dev-dependency on this package turns on.
#[test]
fn the_synthetic_generators_stay_out_of_the_shipped_library() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"))
        .expect("src/lib.rs");
    let lines: Vec<&str> = lib.lines().map(str::trim).collect();
    let declared = lines
        .iter()
        .position(|line| *line == "pub mod synthetic;")
        .expect("src/lib.rs declares `pub mod synthetic;`");
    assert_eq!(
        lines[declared - 1],
        r#"#[cfg(any(test, feature = "synthetic"))]"#,
        "src/lib.rs:{}: `synthetic` must be gated so release builds leave it out",
        declared + 1
    );
    let manifest =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml")).unwrap();
    let features = manifest
        .split("[features]")
        .nth(1)
        .expect("a [features] table");
    let features = features.split("\n[").next().unwrap();
    assert!(
        !features.contains("default"),
        "Cargo.toml: a default feature would ship `synthetic`"
    );
}

#[test]
fn the_scan_finds_a_cycle_when_there_is_one() {
    let mut graph = Graph::new();
    for (from, to) in [("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")] {
        graph
            .entry(from.into())
            .or_default()
            .insert(to.into(), format!("{from}.rs:1"));
    }
    let cycle = find_cycle(&graph).expect("a → b → c → a");
    assert_eq!(cycle.first(), cycle.last());
    assert_eq!(cycle.len(), 4, "{cycle:?}");
    graph.get_mut("c").unwrap().remove("a");
    assert_eq!(find_cycle(&graph), None);
    // Grouped imports and paths in code are read, `crate::` in a word is not.
    let text = "use crate::{alpha::X, beta};\nfn f() { crate::gamma::g(); }\nnotcrate::delta\n";
    let named: BTreeSet<String> = crate_paths(text).map(|(name, _)| name).collect();
    assert_eq!(named, ["alpha", "beta", "gamma"].map(String::from).into());
    // A group rustfmt broke over lines is read whole, each name at its line.
    let broken = "//! doc\nuse crate::{\n    alpha::{X, Y},\n    beta,\n};\n";
    let named: Vec<(String, usize)> = crate_paths(broken).collect();
    assert_eq!(named, [("alpha".to_owned(), 3), ("beta".to_owned(), 4)]);
}

/// Every library error that says whose fault it is (`impl UserError for`)
/// is in the one list `cli::as_user_error` casts to, which `exit_code`
/// asks: a type left out would exit 1 for the user's own mistake.
#[test]
fn every_user_error_is_in_the_list_the_exit_code_asks() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut implemented = BTreeMap::new();
    for file in rust_files(&src) {
        let text = std::fs::read_to_string(&file).unwrap();
        for (at, found) in text.match_indices("UserError for ") {
            let line = text[..at].matches('\n').count() + 1;
            let name = ident(&text[at + found.len()..]);
            let place = format!("{}:{line}", file.strip_prefix(&src).unwrap().display());
            implemented.insert(name, place);
        }
    }
    assert!(implemented.contains_key("ConfigError"), "{implemented:?}");
    let cli = std::fs::read_to_string(src.join("cli.rs")).unwrap();
    let listed: BTreeSet<String> = cli
        .match_indices("cast::<")
        .map(|(at, found)| {
            let path = &cli[at + found.len()..];
            let path = &path[..path.find('>').expect("cast::<…>")];
            path.rsplit("::").next().unwrap().trim().to_owned()
        })
        .collect();
    let missing: Vec<String> = implemented
        .iter()
        .filter(|(name, _)| !listed.contains(*name))
        .map(|(name, place)| format!("{name} (src/{place})"))
        .collect();
    assert!(
        missing.is_empty(),
        "src/cli.rs: as_user_error does not cast to {}: add each to its list, or its errors exit 1",
        missing.join(", ")
    );
    let unknown: Vec<&String> = listed
        .iter()
        .filter(|name| !implemented.contains_key(*name))
        .collect();
    assert!(
        unknown.is_empty(),
        "listed but not a UserError: {unknown:?}"
    );
}

/// The graph of the crate under `src`.
fn graph(src: &Path) -> Graph {
    let mut graph = Graph::new();
    for file in rust_files(src) {
        let relative = file.strip_prefix(src).unwrap();
        let first = relative.components().next().unwrap().as_os_str();
        let module = first.to_string_lossy().trim_end_matches(".rs").to_owned();
        // lib.rs declares the modules; main.rs is the binary, not the library.
        if module == "lib" || module == "main" {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        for (used, line) in crate_paths(&text) {
            if used != module {
                graph
                    .entry(module.clone())
                    .or_default()
                    .entry(used)
                    .or_insert_with(|| format!("src/{}:{line}", relative.display()));
            }
        }
    }
    graph
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The top-level modules `text` names through `crate::`, with their lines
/// (from 1): `crate::NAME` and each name of `crate::{A, B::…}`, a group
/// read across lines as rustfmt breaks a long one.
fn crate_paths(text: &str) -> impl Iterator<Item = (String, usize)> + '_ {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let line_of = |at: usize| text[..at].matches('\n').count() + 1;
    text.match_indices("crate::").flat_map(move |(at, _)| {
        let mut found = Vec::new();
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            return found;
        }
        let rest = &text[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // One level of nesting is as far as the crate's imports go.
            let group_at = at + "crate::{".len();
            let mut depth = 0;
            let mut start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => start = true,
                    c if c.is_whitespace() => {}
                    _ if start => {
                        found.push((ident(&group[j..]), line_of(group_at + j)));
                        start = false;
                    }
                    _ => {}
                }
            }
        } else {
            found.push((ident(rest), line_of(at)));
        }
        found.retain(|(name, _)| !name.is_empty() && name != "self");
        found
    })
}

/// A cycle in `graph`, as the modules along it with the first repeated at
/// the end; `None` when there is none.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &Graph,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|n| n == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_owned());
            return Some(cycle);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_owned());
        for next in graph.get(node).into_iter().flat_map(BTreeMap::keys) {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}
