//! The `[report]` settings, and the labelled question files they name:
//! the files a proposal is measured on before it is shown or applied.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// Settings of `qabot report`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ReportConfig {
    /// Labelled question files (`qabot eval`'s format) each proposal is
    /// measured on, before and after; relative to the config file. A `*`
    /// in a file name matches any characters; a pattern that matches
    /// nothing names no file.
    pub labelled: Vec<PathBuf>,
}

impl Default for ReportConfig {
    /// The project's studied question files; not its held-out ones, which
    /// only `qabot eval --quiet` reads (advice measured on them would be
    /// advice tuned to them).
    fn default() -> Self {
        ReportConfig {
            labelled: vec![
                PathBuf::from("tests/questions/dev*.tsv"),
                PathBuf::from("tests/questions/blind-*.tsv"),
            ],
        }
    }
}

impl ReportConfig {
    /// The patterns read from the config file in `base`'s folder.
    pub fn relative_to(&mut self, base: &Path) {
        for pattern in &mut self.labelled {
            *pattern = base.join(&*pattern);
        }
    }

    /// The files the patterns name, sorted, each once. A pattern without
    /// `*` names its file whether or not it exists (reading it says so).
    pub fn files(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        for pattern in &self.labelled {
            let name = pattern
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if !name.contains('*') {
                out.push(pattern.clone());
                continue;
            }
            let dir = match pattern.parent() {
                Some(d) if !d.as_os_str().is_empty() => d,
                _ => Path::new("."),
            };
            let Ok(listing) = std::fs::read_dir(dir) else {
                continue;
            };
            let mut found: Vec<PathBuf> = listing
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter(|e| wildcard(&name, &e.file_name().to_string_lossy()))
                .map(|e| e.path())
                .collect();
            found.sort();
            out.extend(found);
        }
        let mut seen = std::collections::HashSet::new();
        out.retain(|p| seen.insert(p.clone()));
        out
    }
}

/// Whether `name` matches `pattern`, where `*` matches any characters.
fn wildcard(pattern: &str, name: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, last) = (parts[0], parts[parts.len() - 1]);
    if parts.len() == 1 {
        return pattern == name;
    }
    if !name.starts_with(first) || name.len() < first.len() + last.len() {
        return false;
    }
    let mut rest = &name[first.len()..name.len() - last.len()];
    if !name.ends_with(last) {
        return false;
    }
    for middle in &parts[1..parts.len() - 1] {
        match rest.find(middle) {
            Some(at) => rest = &rest[at + middle.len()..],
            None => return false,
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_star_matches_any_characters() {
        let cases = [
            ("*.tsv", "dev.tsv", true),
            ("*.tsv", "dev.tsv.bak", false),
            ("dev*.tsv", "dev-b.tsv", true),
            ("dev*.tsv", "holdout.tsv", false),
            ("d*-*.tsv", "dev-b.tsv", true),
            ("d*-*.tsv", "dev.tsv", false),
            ("a*a", "a", false),
            ("dev.tsv", "dev.tsv", true),
        ];
        for (pattern, name, matches) in cases {
            assert_eq!(wildcard(pattern, name), matches, "{pattern} {name}");
        }
    }

    #[test]
    fn the_default_names_the_projects_labelled_files() {
        let mut config = ReportConfig::default();
        config.relative_to(Path::new(env!("CARGO_MANIFEST_DIR")));
        let files = config.files();
        let names: Vec<String> = files
            .iter()
            .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert!(names.contains(&"dev.tsv".to_owned()), "{names:?}");
        assert!(names.contains(&"blind-f.tsv".to_owned()), "{names:?}");
        assert!(names.iter().all(|n| n.ends_with(".tsv")), "{names:?}");
        // Held out means read by `qabot eval --quiet` alone: advice measured
        // on them would be advice tuned to them.
        assert!(
            !names
                .iter()
                .any(|n| n.starts_with("holdout") || n.starts_with("heldout")),
            "{names:?}"
        );
        let mut elsewhere = ReportConfig::default();
        elsewhere.relative_to(Path::new("/nonexistent"));
        assert!(elsewhere.files().is_empty());
    }
}
