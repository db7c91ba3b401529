//! Adding questions to a `knowledge.toml`, as text: to an entry's
//! `questions` / `questions_ko`, or to `[out_of_scope] questions`. Edited
//! with `toml_edit`, so the file's comments, order and layout survive and
//! only the new lines appear; a new question takes the layout of the last
//! one in its array (on its own line, indented alike).

use serde::Serialize;
use toml_edit::{Array, DocumentMut, Item, Value};

use crate::matcher::Lang;

/// Where questions are added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// The `[[entry]]` with this id: the questions are to get its answer.
    Entry(String),
    /// `[out_of_scope] questions`: the questions are to be declined.
    OutOfScope,
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Entry(id) => write!(f, "[[entry]] {id:?}"),
            Target::OutOfScope => f.write_str("[out_of_scope]"),
        }
    }
}

/// Questions to add to one target, each with the language it is in.
#[derive(Debug, Clone, PartialEq)]
pub struct Addition {
    pub target: Target,
    pub questions: Vec<(String, Lang)>,
}

/// A manifest the additions cannot be written into.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum EditError {
    #[error("{file}: not valid TOML, so nothing was added: {message}")]
    Parse { file: String, message: String },
    #[error(
        "{file}: no [[entry]] with id {id:?}; the proposal is for another knowledge base: run `qabot report` again on this one"
    )]
    NoEntry { file: String, id: String },
    #[error("{file}: {key} is not a list of strings; make it one (`{key} = [ … ]`)")]
    NotAList { file: String, key: String },
}

/// `manifest` (the text of `file`) with `additions` written in. A question
/// already in its array is not added twice.
pub fn add_questions(
    file: &str,
    manifest: &str,
    additions: &[Addition],
) -> Result<String, EditError> {
    let mut doc: DocumentMut =
        manifest
            .parse()
            .map_err(|e: toml_edit::TomlError| EditError::Parse {
                file: file.to_owned(),
                message: e.message().to_owned(),
            })?;
    for addition in additions {
        for (question, lang) in &addition.questions {
            let (array, key) = match &addition.target {
                Target::Entry(id) => {
                    let key = match lang {
                        Lang::En => "questions",
                        Lang::Ko => "questions_ko",
                    };
                    (entry_array(&mut doc, file, id, key)?, key.to_owned())
                }
                // Out-of-scope questions are one list, whatever their language.
                Target::OutOfScope => (
                    out_of_scope_array(&mut doc, file)?,
                    "[out_of_scope] questions".to_owned(),
                ),
            };
            let Some(array) = array else {
                return Err(EditError::NotAList {
                    file: file.to_owned(),
                    key,
                });
            };
            push(array, question);
        }
    }
    Ok(doc.to_string())
}

/// The entry's `key` array (made when missing), `None` when it is not an array.
fn entry_array<'d>(
    doc: &'d mut DocumentMut,
    file: &str,
    id: &str,
    key: &str,
) -> Result<Option<&'d mut Array>, EditError> {
    let no_entry = || EditError::NoEntry {
        file: file.to_owned(),
        id: id.to_owned(),
    };
    let entries = doc
        .get_mut("entry")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or_else(no_entry)?;
    let entry = entries
        .iter_mut()
        .find(|t| t.get("id").and_then(Item::as_str) == Some(id))
        .ok_or_else(no_entry)?;
    let item = entry
        .entry(key)
        .or_insert_with(|| Item::Value(Value::Array(Array::new())));
    Ok(item.as_array_mut())
}

/// `[out_of_scope] questions` (the table and array made when missing).
fn out_of_scope_array<'d>(
    doc: &'d mut DocumentMut,
    file: &str,
) -> Result<Option<&'d mut Array>, EditError> {
    let table = doc
        .entry("out_of_scope")
        .or_insert_with(toml_edit::table)
        .as_table_like_mut()
        .ok_or_else(|| EditError::NotAList {
            file: file.to_owned(),
            key: "out_of_scope".to_owned(),
        })?;
    let item = table
        .entry("questions")
        .or_insert(Item::Value(Value::Array(Array::new())));
    Ok(item.as_array_mut())
}

/// Appends `question` unless it is there, laid out like the last element.
fn push(array: &mut Array, question: &str) {
    if array.iter().any(|v| v.as_str() == Some(question)) {
        return;
    }
    // Written as the report's snippets write it: a basic string, with
    // every character that could hide text as a `\uXXXX` escape.
    let mut value: Value = super::visible::toml_string(question)
        .parse()
        .unwrap_or_else(|_| Value::from(question));
    match array.iter().last() {
        Some(last) => {
            // Its line break and indent, not the comments above it.
            let prefix = last
                .decor()
                .prefix()
                .and_then(|p| p.as_str())
                .and_then(|p| p.rfind('\n').map(|at| format!("\n{}", &p[at + 1..])));
            // An array on one line: after a comma and a space.
            value
                .decor_mut()
                .set_prefix(prefix.unwrap_or_else(|| " ".to_owned()));
            value.decor_mut().set_suffix("");
        }
        None => value.decor_mut().set_prefix(""),
    }
    array.push_formatted(value);
}

#[cfg(test)]
mod tests {
    use super::*;

    const MANIFEST: &str = r#"# The knowledge base.
[[entry]]
id = "step-1"   # the first step
questions = [
  "what is step 1",
  # a comment inside the list
  "first step",
]
questions_ko = ["1단계는?"]

[[entry]]
id = "step-2"
questions = ["what is step 2"]

[out_of_scope]
# people the column never names
names = ["sedol"]
questions = [
  "who won the world cup",
]
"#;

    fn add(target: Target, questions: &[(&str, Lang)]) -> Result<String, EditError> {
        add_questions(
            "knowledge.toml",
            MANIFEST,
            &[Addition {
                target,
                questions: questions.iter().map(|(q, l)| (q.to_string(), *l)).collect(),
            }],
        )
    }

    #[test]
    fn questions_are_added_where_they_belong_and_nothing_else_changes() {
        // Target, questions added, the text before and after.
        type Case<'a> = (Target, &'a [(&'a str, Lang)], &'a str, &'a str);
        let cases: &[Case] = &[
            (
                Target::Entry("step-1".into()),
                &[("how does step one work", Lang::En)],
                "  \"first step\",\n]",
                "  \"first step\",\n  \"how does step one work\",\n]",
            ),
            (
                Target::Entry("step-1".into()),
                &[("첫 단계", Lang::Ko)],
                "questions_ko = [\"1단계는?\"]",
                "questions_ko = [\"1단계는?\", \"첫 단계\"]",
            ),
            (
                Target::Entry("step-2".into()),
                &[("say \"two\" \\ please", Lang::En)],
                "questions = [\"what is step 2\"]",
                "questions = [\"what is step 2\", \"say \\\"two\\\" \\\\ please\"]",
            ),
            (
                Target::OutOfScope,
                &[("best pizza in seoul", Lang::En), ("날씨", Lang::Ko)],
                "  \"who won the world cup\",\n]",
                "  \"who won the world cup\",\n  \"best pizza in seoul\",\n  \"날씨\",\n]",
            ),
            (
                Target::Entry("step-1".into()),
                &[("what is step 1", Lang::En)],
                "",
                "",
            ),
        ];
        for (target, questions, before, after) in cases {
            let edited = add(target.clone(), questions).unwrap();
            assert_eq!(
                edited,
                MANIFEST.replacen(before, after, 1),
                "{target} {questions:?}"
            );
            let parsed: toml::Table = toml::from_str(&edited).unwrap();
            assert!(parsed.contains_key("entry"));
        }
    }

    #[test]
    fn an_unknown_entry_or_a_broken_file_is_refused() {
        assert_eq!(
            add(Target::Entry("step-9".into()), &[("q", Lang::En)]),
            Err(EditError::NoEntry {
                file: "knowledge.toml".into(),
                id: "step-9".into()
            })
        );
        let broken = add_questions("k.toml", "[[entry]\n", &[]).unwrap_err();
        assert!(matches!(broken, EditError::Parse { .. }), "{broken}");
        let not_a_list = add_questions(
            "k.toml",
            "[[entry]]\nid = \"a\"\nquestions = \"one\"\n",
            &[Addition {
                target: Target::Entry("a".into()),
                questions: vec![("q".into(), Lang::En)],
            }],
        )
        .unwrap_err();
        assert_eq!(
            not_a_list.to_string(),
            "k.toml: questions is not a list of strings; make it one (`questions = [ … ]`)"
        );
    }

    #[test]
    fn an_out_of_scope_table_is_made_when_there_is_none() {
        let edited = add_questions(
            "k.toml",
            "[[entry]]\nid = \"a\"\n",
            &[Addition {
                target: Target::OutOfScope,
                questions: vec![("best pizza".into(), Lang::En)],
            }],
        )
        .unwrap();
        let parsed: toml::Table = toml::from_str(&edited).unwrap();
        assert_eq!(
            parsed["out_of_scope"]["questions"].as_array().unwrap()[0].as_str(),
            Some("best pizza"),
            "{edited}"
        );
    }
}
