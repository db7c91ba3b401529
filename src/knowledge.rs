//! The knowledge base: loading it from a directory (or from the copy embedded
//! in the binary) and validating it against the source text it quotes.
//!
//! A knowledge base is a directory with `knowledge.toml` (the `[source]`
//! table, optional `[synonyms]`, and the `[[entry]]` list) and the verbatim
//! source text that `source.text` names. Validation collects every problem
//! at once, each with the file and line it was found at, so an editor can
//! fix them in one pass.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::files::ReadError;
use crate::located::Located;
use crate::plural::count;

mod verbatim;

/// The manifest file every knowledge-base directory holds.
pub const MANIFEST: &str = "knowledge.toml";

/// Files larger than this are refused before reading: a knowledge base is
/// text a person edits, and reading gigabytes would only stall the bot.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

const EMBEDDED_MANIFEST: &str = include_str!("../knowledge/knowledge.toml");
const EMBEDDED_SOURCE: &str = include_str!("../knowledge/column.txt");
/// What the embedded knowledge base is called in messages and logs.
pub const EMBEDDED_NAME: &str = "<embedded>";

/// The most steps a knowledge base may have: as far as qabot has words for
/// them ("the twentieth step", "스무 번째"), in `src/matcher/numbers.toml`,
/// whose tests check that it has words for each.
pub const MAX_STEPS: u8 = 20;

/// Minimum alternate questions per entry, in English and in Korean.
pub const MIN_QUESTIONS_EN: usize = 4;
/// The longest entry id, in bytes: every inline result carries its entry's
/// id, and answerInlineQuery takes result ids of 1 to 64 bytes.
pub const MAX_ID_BYTES: usize = 64;
pub const MIN_QUESTIONS_KO: usize = 2;

/// What part of the column an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// The list of the steps.
    Overview,
    /// One of the steps; `step` says which.
    Step,
    /// Context the column gives: a problem, an example, the conclusion.
    Background,
    /// About the column itself: its source, its author.
    About,
}

/// Metadata of the quoted text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub title: String,
    pub author: String,
    pub paper: String,
    pub section: Option<String>,
    /// The verbatim text every passage is quoted from.
    pub text: String,
}

/// One answerable topic.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: String,
    pub kind: Kind,
    /// The step's number (from 1) for a step entry.
    pub step: Option<u8>,
    /// For background: the steps that answer the problem it describes.
    pub answered_by: Vec<u8>,
    pub title: String,
    pub title_ko: Option<String>,
    /// Verbatim excerpts of the source, in order.
    pub passage: Vec<String>,
    pub questions: Vec<String>,
    pub questions_ko: Vec<String>,
    pub keywords: Vec<String>,
    /// The entry that answers "why?" after this one (`why = "id"`).
    pub why: Option<String>,
    /// The entry that answers "tell me more" after this one (`more = "id"`).
    pub more: Option<String>,
    /// The entry that answers "for example?" after this one (`example =
    /// "id"`): this one itself when its own passage gives the example.
    pub example: Option<String>,
}

impl Entry {
    /// The passage as one text, excerpts separated by a blank line.
    pub fn passage_text(&self) -> String {
        self.passage.join("\n\n")
    }
}

/// A validated knowledge base.
#[derive(Debug, Clone)]
pub struct KnowledgeBase {
    /// Where it was loaded from, for logs (`<embedded>` for the built-in one).
    pub origin: String,
    pub source: Source,
    /// Canonical word → the words read as it.
    pub synonyms: BTreeMap<String, Vec<String>>,
    pub entries: Vec<Entry>,
    /// Questions that sound close to the column but that it does not
    /// answer (a figure it does not give): a question nearer to one
    /// of these than to any entry is declined.
    pub out_of_scope: Vec<String>,
    /// Names of people, places or things close to the subject that the
    /// source does not discuss (lower case, single words): a question that
    /// names one is about something else.
    pub out_of_scope_names: Vec<String>,
}

impl KnowledgeBase {
    /// The knowledge base compiled into the binary: the column this bot is about.
    pub fn embedded() -> Result<Self, KnowledgeError> {
        Self::parse(EMBEDDED_NAME, MANIFEST, EMBEDDED_MANIFEST, |_| {
            Ok(EMBEDDED_SOURCE.to_owned())
        })
    }

    /// The text of the built-in knowledge base's manifest, as compiled in.
    pub fn embedded_manifest() -> &'static str {
        EMBEDDED_MANIFEST
    }

    /// Validates a knowledge base held in memory: `manifest` is the text of
    /// a `knowledge.toml`, `source` the text its `source.text` names (the
    /// name itself is not looked up). `manifest_name` stands for the
    /// manifest in problems and is the knowledge base's origin.
    ///
    /// The same checks as [`KnowledgeBase::load_dir`], without the file
    /// system: for fuzzing the loader and for tools that build a knowledge
    /// base on the fly.
    pub fn from_parts(
        manifest_name: &str,
        manifest: &str,
        source: &str,
    ) -> Result<Self, KnowledgeError> {
        Self::parse(manifest_name, manifest_name, manifest, |_| {
            Ok(source.to_owned())
        })
    }

    /// Loads and validates the knowledge base in `dir`.
    pub fn load_dir(dir: &Path) -> Result<Self, KnowledgeError> {
        if !dir.is_dir() {
            // A typo in the path and a file given for the directory are
            // different mistakes; say which.
            let message = if dir.exists() {
                "is not a directory"
            } else {
                "does not exist"
            };
            return Err(KnowledgeError::single(Problem {
                file: dir.to_path_buf(),
                line: None,
                message: message.into(),
                hint: format!("pass a directory that holds {MANIFEST} and the source text"),
            }));
        }
        let manifest_path = dir.join(MANIFEST);
        let manifest = read_text(&manifest_path).map_err(KnowledgeError::single)?;
        Self::parse(
            &dir.display().to_string(),
            &manifest_path.display().to_string(),
            &manifest,
            |name| read_text(&dir.join(name)),
        )
    }

    /// Parses and validates a manifest; `read_source` fetches the source text it names.
    fn parse(
        origin: &str,
        manifest_name: &str,
        manifest: &str,
        read_source: impl FnOnce(&str) -> Result<String, Problem>,
    ) -> Result<Self, KnowledgeError> {
        let file = PathBuf::from(manifest_name);
        let lines = LineIndex::new(manifest);
        // serde stops at the first error, so a file that does not parse
        // yields one problem; the hint says so, lest the editor think it
        // was the only one.
        let raw: RawManifest = toml::from_str(manifest).map_err(|e| {
            KnowledgeError::single(Problem {
                file: file.clone(),
                line: e.span().map(|s| lines.line(s.start)),
                message: first_line(e.message()).to_owned(),
                hint: "fix the TOML syntax or the field named (knowledge/knowledge.toml describes the format); \
                       the file is checked no further until it parses, so other problems are reported once this one is fixed"
                    .into(),
            })
        })?;
        let source_text = read_source(raw.source.text.get_ref()).map_err(|p| {
            // A problem inside the source file keeps its own file and line;
            // a file that cannot be read at all is fixed where it is named.
            KnowledgeError::single(match p.line {
                Some(_) => p,
                None => Problem {
                    file: file.clone(),
                    line: Some(lines.line(raw.source.text.span().start)),
                    message: format!("source file {} {}", p.file.display(), p.message),
                    hint: format!(
                        "`source.text` names the verbatim source text, relative to the knowledge directory; {}",
                        p.hint
                    ),
                },
            })
        })?;
        let source_file = file.with_file_name(raw.source.text.get_ref());
        let mut validator = Validator {
            file,
            source_file,
            lines: &lines,
            source: &source_text,
            problems: Vec::new(),
        };
        let entries = validator.entries(&raw.entries);
        validator.coverage(&raw.entries);
        validator.synonyms(&raw.synonyms);
        if let Some(names) = &raw.out_of_scope.names {
            validator.out_of_scope_names(names);
        }
        if !validator.problems.is_empty() {
            return Err(KnowledgeError {
                problems: validator.problems,
            });
        }
        Ok(KnowledgeBase {
            origin: origin.to_owned(),
            source: Source {
                title: raw.source.title,
                author: raw.source.author,
                paper: raw.source.paper,
                section: raw.source.section,
                text: source_text,
            },
            synonyms: raw
                .synonyms
                .into_iter()
                .map(|(k, v)| (k, v.into_inner()))
                .collect(),
            entries,
            out_of_scope: raw
                .out_of_scope
                .questions
                .into_iter()
                .filter(|q| !q.trim().is_empty())
                .collect(),
            out_of_scope_names: raw
                .out_of_scope
                .names
                .map(Spanned::into_inner)
                .unwrap_or_default(),
        })
    }

    /// The entry with this id.
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id == id)
    }

    /// The entry for step `n`.
    pub fn step(&self, n: u8) -> Option<&Entry> {
        self.entries
            .iter()
            .find(|e| e.kind == Kind::Step && e.step == Some(n))
    }

    /// The overview entry (the list of steps), if the knowledge base has one.
    pub fn overview(&self) -> Option<&Entry> {
        self.entries.iter().find(|e| e.kind == Kind::Overview)
    }

    /// How many steps the knowledge base has.
    pub fn step_count(&self) -> u8 {
        self.entries
            .iter()
            .filter_map(|e| e.step)
            .max()
            .unwrap_or(0)
    }
}

/// One thing wrong with a knowledge base.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub file: PathBuf,
    /// 1-based line, where the problem has one.
    pub line: Option<usize>,
    pub message: String,
    /// What to do about it.
    pub hint: String,
}

impl Problem {
    /// The problem and where it is, without the hint.
    pub fn located(&self) -> Located<&str> {
        Located {
            path: self.file.clone(),
            line: self.line,
            column: None,
            error: &self.message,
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.located())?;
        if !self.hint.is_empty() {
            write!(f, "\n    hint: {}", self.hint)?;
        }
        Ok(())
    }
}

/// A knowledge base that cannot be used, with every problem found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct KnowledgeError {
    pub problems: Vec<Problem>,
}

impl KnowledgeError {
    fn single(problem: Problem) -> Self {
        KnowledgeError {
            problems: vec![problem],
        }
    }

    /// The error in one line, for a chat: how many problems, and the first
    /// with its file and line; the hints and the rest are in the log.
    pub fn headline(&self) -> String {
        let first = self.problems.first().map(Problem::located);
        match first {
            Some(first) => format!(
                "invalid knowledge base ({}): {first}",
                count(self.problems.len(), "problem", "problems")
            ),
            None => "invalid knowledge base".to_owned(),
        }
    }
}

impl fmt::Display for KnowledgeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid knowledge base ({}):",
            count(self.problems.len(), "problem", "problems")
        )?;
        for p in &self.problems {
            write!(f, "\n  {p}")?;
        }
        Ok(())
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim()
}

fn read_text(path: &Path) -> Result<String, Problem> {
    let problem = |message: String, hint: &str| Problem {
        file: path.to_path_buf(),
        line: None,
        message,
        hint: hint.to_owned(),
    };
    // Messages are predicates ("does not exist"), so that a caller can put
    // its own subject in front of them.
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => problem(
            "does not exist".into(),
            "check the name and that the file is there",
        ),
        _ => problem(
            format!("cannot be read: {e}"),
            "check that the file exists and is readable",
        ),
    })?;
    if !meta.is_file() {
        return Err(problem("is not a file".into(), "point at a regular file"));
    }
    crate::files::read_text(path, MAX_FILE_BYTES).map_err(|e| match e {
        ReadError::Io { error, .. } => problem(
            format!("cannot be read: {error}"),
            "check that the file is readable",
        ),
        ReadError::TooLarge { bytes, .. } => problem(
            format!("is {bytes} bytes, over the {MAX_FILE_BYTES} byte limit"),
            "a knowledge-base file is hand-edited text; check that this is the right file",
        ),
        ReadError::NotUtf8 { line, .. } => Problem {
            line: Some(line),
            ..problem("is not valid UTF-8".into(), "save the file as UTF-8")
        },
    })
}

/// Byte offset → 1-based line number.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawManifest {
    source: RawSource,
    #[serde(default)]
    synonyms: BTreeMap<String, Spanned<Vec<String>>>,
    #[serde(default, rename = "entry")]
    entries: Vec<Spanned<RawEntry>>,
    #[serde(default)]
    out_of_scope: RawOutOfScope,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutOfScope {
    #[serde(default)]
    questions: Vec<String>,
    names: Option<Spanned<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    title: String,
    author: String,
    paper: String,
    section: Option<String>,
    text: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    id: Spanned<String>,
    kind: Spanned<Kind>,
    step: Option<Spanned<i64>>,
    answered_by: Option<Spanned<Vec<i64>>>,
    title: Spanned<String>,
    title_ko: Option<String>,
    passage: Spanned<Vec<Spanned<String>>>,
    questions: Option<Spanned<Vec<String>>>,
    questions_ko: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    keywords: Vec<String>,
    why: Option<Spanned<String>>,
    more: Option<Spanned<String>>,
    example: Option<Spanned<String>>,
}

struct Validator<'a> {
    file: PathBuf,
    source_file: PathBuf,
    lines: &'a LineIndex,
    source: &'a str,
    problems: Vec<Problem>,
}

impl Validator<'_> {
    fn report(&mut self, span: Range<usize>, message: String, hint: &str) {
        self.report_at(self.lines.line(span.start), message, hint);
    }

    fn report_at(&mut self, line: usize, message: String, hint: &str) {
        self.problems.push(Problem {
            file: self.file.clone(),
            line: Some(line),
            message,
            hint: hint.to_owned(),
        });
    }

    fn entries(&mut self, raw: &[Spanned<RawEntry>]) -> Vec<Entry> {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut overview: Option<(&str, usize)> = None;
        // Step number → the first entry with it, and the line of its `step`.
        let mut steps: BTreeMap<u8, (&str, usize)> = BTreeMap::new();
        // Whether some `step` was reported already (missing, out of range,
        // on another kind): the gaps it leaves are the same problem again.
        let mut step_reported = false;
        let mut entries = Vec::with_capacity(raw.len());
        for spanned in raw {
            let e = spanned.get_ref();
            let id = e.id.get_ref().as_str();
            let line = self.lines.line(e.id.span().start);
            if id.trim().is_empty() || id.chars().any(char::is_whitespace) {
                self.report(
                    e.id.span(),
                    format!("entry id {id:?} is empty or has spaces"),
                    "use a short id like \"step-1\"",
                );
            }
            if id.len() > MAX_ID_BYTES {
                self.report(
                    e.id.span(),
                    format!(
                        "entry id {id:?} is {} bytes, longer than the {MAX_ID_BYTES} Telegram allows an inline result's id",
                        id.len()
                    ),
                    "use a short id like \"step-1\"",
                );
            }
            if let Some(first) = seen.insert(id, line) {
                self.report(
                    e.id.span(),
                    format!("duplicate entry id {id:?} (first used on line {first})"),
                    "give every entry its own id",
                );
            }
            if *e.kind.get_ref() == Kind::Overview {
                let line = self.lines.line(e.kind.span().start);
                match overview {
                    Some((first, first_line)) => self.report_at(
                        line,
                        format!(
                            "entry {id:?} is a second overview (entry {first:?} on line {first_line} is one already)"
                        ),
                        "keep one entry of kind \"overview\", the list of the steps; make this one \"background\" or merge the two",
                    ),
                    None => overview = Some((id, line)),
                }
            }
            let step = self.step(e);
            match (step, &e.step) {
                (Some(n), Some(spanned_step)) => {
                    let line = self.lines.line(spanned_step.span().start);
                    match steps.get(&n) {
                        Some(&(first, first_line)) => self.report_at(
                            line,
                            format!(
                                "entry {id:?} has step {n}, as does entry {first:?} (line {first_line})"
                            ),
                            "give every step its own entry and number; put a step that spans several paragraphs in one entry's passage",
                        ),
                        None => {
                            steps.insert(n, (id, line));
                        }
                    }
                }
                (None, Some(_)) => step_reported = true,
                (_, None) => step_reported |= *e.kind.get_ref() == Kind::Step,
            }
            let answered_by = self.answered_by(e);
            if e.title.get_ref().trim().is_empty() {
                self.report(
                    e.title.span(),
                    format!("entry {id:?} has an empty title"),
                    "write a short title",
                );
            }
            self.passage(id, e);
            self.questions(id, e);
            entries.push(Entry {
                id: id.to_owned(),
                kind: *e.kind.get_ref(),
                step,
                answered_by,
                title: e.title.get_ref().clone(),
                title_ko: e.title_ko.clone(),
                passage: e
                    .passage
                    .get_ref()
                    .iter()
                    .map(|p| p.get_ref().clone())
                    .collect(),
                questions: e
                    .questions
                    .as_ref()
                    .map(|q| q.get_ref().clone())
                    .unwrap_or_default(),
                questions_ko: e
                    .questions_ko
                    .as_ref()
                    .map(|q| q.get_ref().clone())
                    .unwrap_or_default(),
                keywords: e.keywords.clone(),
                why: e.why.as_ref().map(|w| w.get_ref().clone()),
                more: e.more.as_ref().map(|m| m.get_ref().clone()),
                example: e.example.as_ref().map(|x| x.get_ref().clone()),
            });
        }
        if !step_reported {
            self.step_gaps(&steps);
            self.answered_by_exists(raw, &entries, &steps);
        }
        self.relations(raw, &seen);
        if raw.is_empty() {
            self.problems.push(Problem {
                file: self.file.clone(),
                line: None,
                message: "has no [[entry]]".into(),
                hint: "add at least one [[entry]] table".into(),
            });
        }
        entries
    }

    fn step(&mut self, e: &RawEntry) -> Option<u8> {
        let id = e.id.get_ref();
        match (e.kind.get_ref(), &e.step) {
            (Kind::Step, None) => {
                self.report(
                    e.kind.span(),
                    format!("step entry {id:?} has no `step`"),
                    "add `step = N`, the step's number counted from 1",
                );
                None
            }
            (Kind::Step, Some(step)) => match *step.get_ref() {
                n if (1..=i64::from(MAX_STEPS)).contains(&n) => Some(n as u8),
                n => {
                    self.report(
                        step.span(),
                        format!("entry {id:?} has step {n}, outside 1–{MAX_STEPS}"),
                        "number the steps 1, 2, 3… in order, one entry each",
                    );
                    None
                }
            },
            (_, Some(step)) => {
                self.report(
                    step.span(),
                    format!("entry {id:?} is not of kind \"step\" but has `step`"),
                    "remove `step`, or set `kind = \"step\"`",
                );
                None
            }
            (_, None) => None,
        }
    }

    /// Steps are numbered from 1 with no gap, so "Step 3 of 3" is true and
    /// every ordinal a user types up to the last step has an entry.
    fn step_gaps(&mut self, steps: &BTreeMap<u8, (&str, usize)>) {
        let Some(&last) = steps.keys().next_back() else {
            return;
        };
        for missing in (1..last).filter(|n| !steps.contains_key(n)) {
            let (&next, &(id, line)) = steps
                .range(missing..)
                .next()
                .expect("a step above a gap exists: `last` itself");
            self.report_at(
                line,
                format!("entry {id:?} has step {next}, but no entry has step {missing}"),
                "number the steps from 1 up with no gap: add the missing step or renumber",
            );
        }
    }

    fn answered_by(&mut self, e: &RawEntry) -> Vec<u8> {
        let mut steps = Vec::new();
        let Some(answered_by) = &e.answered_by else {
            return steps;
        };
        if *e.kind.get_ref() != Kind::Background {
            self.report(
                answered_by.span(),
                format!(
                    "entry {:?} is not of kind \"background\" but has `answered_by`",
                    e.id.get_ref()
                ),
                "remove `answered_by`, or set `kind = \"background\"`: only background entries name the steps that answer them",
            );
            return steps;
        }
        for &n in answered_by.get_ref() {
            if (1..=i64::from(MAX_STEPS)).contains(&n) {
                steps.push(n as u8);
            } else {
                self.report(
                    answered_by.span(),
                    format!(
                        "entry {:?} has answered_by step {n}, outside 1–{MAX_STEPS}",
                        e.id.get_ref()
                    ),
                    "name the steps by their numbers, counted from 1",
                );
            }
        }
        steps
    }

    /// `why` and `more` name another entry of the knowledge base, and
    /// `example` any entry, the same one included: a follow-up ("why?",
    /// "tell me more", "for example?") is answered with it.
    fn relations(&mut self, raw: &[Spanned<RawEntry>], ids: &HashMap<&str, usize>) {
        for e in raw.iter().map(Spanned::get_ref) {
            let id = e.id.get_ref();
            for (key, target) in [("why", &e.why), ("more", &e.more), ("example", &e.example)] {
                let Some(target) = target else { continue };
                let name = target.get_ref();
                if name == id && key != "example" {
                    self.report(
                        target.span(),
                        format!("entry {id:?} has `{key}` pointing at itself"),
                        &format!("name another entry for `{key}`, or remove it: a follow-up should lead somewhere new"),
                    );
                } else if !ids.contains_key(name.as_str()) {
                    self.report(
                        target.span(),
                        format!("entry {id:?} has `{key} = {name:?}`, but no entry has that id"),
                        &format!("name an existing entry's id for `{key}`, or remove it"),
                    );
                }
            }
        }
    }

    /// Every step `answered_by` names is one the knowledge base has.
    fn answered_by_exists(
        &mut self,
        raw: &[Spanned<RawEntry>],
        entries: &[Entry],
        steps: &BTreeMap<u8, (&str, usize)>,
    ) {
        let last = steps.keys().next_back().copied().unwrap_or(0);
        for (e, entry) in raw.iter().zip(entries) {
            let Some(answered_by) = &e.get_ref().answered_by else {
                continue;
            };
            for n in entry.answered_by.iter().filter(|n| !steps.contains_key(n)) {
                self.report(
                    answered_by.span(),
                    format!(
                        "entry {:?} has answered_by step {n}, but no entry has step {n}",
                        entry.id
                    ),
                    &format!("name steps the knowledge base has: 1 to {last}"),
                );
            }
        }
    }

    fn passage(&mut self, id: &str, e: &RawEntry) {
        if e.passage.get_ref().is_empty() {
            self.report(
                e.passage.span(),
                format!("entry {id:?} has an empty passage"),
                "quote at least one excerpt of the source",
            );
        }
        let hint = "copy the excerpt exactly from the source text (same quotes, dashes and spaces)";
        for excerpt in e.passage.get_ref() {
            let text = excerpt.get_ref();
            if text.trim().is_empty() {
                self.report(
                    excerpt.span(),
                    format!("passage of entry {id:?} has a blank excerpt: {text:?}"),
                    hint,
                );
            } else if !self.source.contains(text.as_str()) {
                // Its start is usually right: show where it departs.
                let difference = verbatim::first_difference(self.source, text);
                let place = match difference.source_offset {
                    Some(at) => format!(
                        "{}:{}",
                        self.source_file.display(),
                        LineIndex::new(self.source).line(at)
                    ),
                    None => self.source_file.display().to_string(),
                };
                self.report(
                    excerpt.span(),
                    format!(
                        "passage of entry {id:?} is not verbatim in the source: {}",
                        difference.describe(&place)
                    ),
                    hint,
                );
            }
        }
    }

    fn questions(&mut self, id: &str, e: &RawEntry) {
        let filled = |qs: &Option<Spanned<Vec<String>>>| {
            qs.as_ref().map_or(0, |qs| {
                qs.get_ref().iter().filter(|q| !q.trim().is_empty()).count()
            })
        };
        let (en, ko) = (filled(&e.questions), filled(&e.questions_ko));
        if en < MIN_QUESTIONS_EN {
            self.report(
                e.id.span(),
                format!(
                    "entry {id:?} has {}, fewer than {MIN_QUESTIONS_EN}",
                    count(en, "English question", "English questions")
                ),
                "add alternate questions to `questions`, the way users ask them",
            );
        }
        if ko < MIN_QUESTIONS_KO {
            self.report(
                e.id.span(),
                format!(
                    "entry {id:?} has {}, fewer than {MIN_QUESTIONS_KO}",
                    count(ko, "Korean question", "Korean questions")
                ),
                "add alternate questions to `questions_ko`",
            );
        }
    }

    /// Every paragraph of the source must be quoted by some entry, or some
    /// question would have no answer.
    fn coverage(&mut self, raw: &[Spanned<RawEntry>]) {
        let mut covered = vec![false; self.source.len() + 1];
        for e in raw {
            for excerpt in e.get_ref().passage.get_ref() {
                let text = excerpt.get_ref();
                if text.is_empty() {
                    continue;
                }
                for (start, _) in self.source.match_indices(text.as_str()) {
                    covered[start..start + text.len()]
                        .iter_mut()
                        .for_each(|c| *c = true);
                }
            }
        }
        let source_lines = LineIndex::new(self.source);
        let mut offset = 0;
        for paragraph in self.source.split("\n\n") {
            let start = offset + (paragraph.len() - paragraph.trim_start().len());
            let end = start + paragraph.trim().len();
            offset += paragraph.len() + 2;
            if start < end && !covered[start..end].iter().any(|c| *c) {
                let shown: String = paragraph.trim().chars().take(60).collect();
                self.problems.push(Problem {
                    file: self.source_file.clone(),
                    line: Some(source_lines.line(start)),
                    message: format!("no entry quotes this paragraph: {shown:?}"),
                    hint: format!("add an entry to {MANIFEST} whose passage quotes it"),
                });
            }
        }
    }

    /// Out-of-scope names are single words the source does not use: a
    /// name it uses is something it discusses.
    fn out_of_scope_names(&mut self, names: &Spanned<Vec<String>>) {
        let source_words: BTreeSet<String> = self
            .source
            .split(|c: char| !c.is_alphanumeric())
            .map(str::to_lowercase)
            .collect();
        for name in names.get_ref() {
            if name.trim().is_empty() || name.contains(char::is_whitespace) {
                self.report(
                    names.span(),
                    format!("out-of-scope name {name:?} is empty or has spaces"),
                    "list single words (a surname, not a full name); put whole questions in `questions`",
                );
            } else if source_words.contains(&name.to_lowercase()) {
                self.report(
                    names.span(),
                    format!("out-of-scope name {name:?} is a word of the source"),
                    "remove it: a name the source uses is something it discusses",
                );
            }
        }
    }

    fn synonyms(&mut self, synonyms: &BTreeMap<String, Spanned<Vec<String>>>) {
        for (word, variants) in synonyms {
            for v in variants.get_ref() {
                if v.trim().is_empty() || v.contains(char::is_whitespace) {
                    self.report(
                        variants.span(),
                        format!("synonym {v:?} of {word:?} is empty or has spaces"),
                        "synonyms are single words; put phrases in an entry's keywords",
                    );
                }
            }
        }
    }
}

/// Every KnowledgeError is the user's to fix: a knowledge base they gave.
impl crate::errors::UserError for KnowledgeError {
    fn is_bad_input(&self) -> bool {
        true
    }
}

/// A small knowledge base of `steps` steps (at most ten), an overview and a
/// background entry, for tests of code that must work whatever the number
/// of steps.
#[cfg(test)]
pub(crate) fn with_steps(steps: u8) -> KnowledgeBase {
    const TOPICS: [&str; 10] = [
        "gardens", "bridges", "lanterns", "orchards", "ferries", "kilns", "looms", "mills",
        "wells", "beacons",
    ];
    let mut source = String::from("A town plan in several parts.\n\nWhy the town needs a plan.\n");
    let mut manifest = String::from(
        "[source]\ntitle = \"A town plan\"\nauthor = \"Test Author\"\npaper = \"Test Paper\"\ntext = \"plan.txt\"\n\n\
         [[entry]]\nid = \"overview\"\nkind = \"overview\"\ntitle = \"The parts of the plan\"\n\
         passage = [\"A town plan in several parts.\"]\n\
         questions = [\"what is the plan\", \"summary of the plan\", \"list the parts\", \"overview\"]\n\
         questions_ko = [\"계획 요약\", \"계획이 뭐야\"]\n\n\
         [[entry]]\nid = \"why\"\nkind = \"background\"\ntitle = \"Why a plan\"\n\
         passage = [\"Why the town needs a plan.\"]\n\
         questions = [\"why does the town need a plan\", \"why plan\", \"what is the reason\", \"motivation\"]\n\
         questions_ko = [\"왜 계획이 필요해\", \"이유가 뭐야\"]\n",
    );
    for (n, topic) in (1..=steps).zip(TOPICS) {
        source += &format!("\nPart {n}: build {topic} for everyone.\n");
        manifest += &format!(
            "\n[[entry]]\nid = \"step-{n}\"\nkind = \"step\"\nstep = {n}\ntitle = \"Build {topic}\"\n\
             passage = [\"Part {n}: build {topic} for everyone.\"]\n\
             questions = [\"why build {topic}\", \"{topic}\", \"what about {topic}\", \"who gets {topic}\"]\n\
             questions_ko = [\"{topic} 건설\", \"{topic} 계획\"]\n"
        );
    }
    KnowledgeBase::from_parts(MANIFEST, &manifest, &source).unwrap_or_else(|e| panic!("{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_knowledge_base_is_valid() {
        let kb = KnowledgeBase::embedded().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(kb.step_count(), 3);
        assert!(kb.overview().is_some());
        for n in 1..=3 {
            assert!(kb.step(n).is_some(), "step {n}");
        }
        // Every step says what answers "why?" after it; "tell me more"
        // leads on only where another passage deepens the step.
        for n in 1..=3 {
            let step = kb.step(n).unwrap();
            assert!(step.why.is_some(), "step {n}");
        }
        assert!(kb.step(1).unwrap().more.is_some());
    }

    #[test]
    fn why_and_more_name_other_entries() {
        let text = manifest(&[
            ("o", "kind = \"overview\"\nmore = \"b\""),
            ("b", "kind = \"background\"\nwhy = \"o\""),
        ]);
        let kb = parse(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(kb.entry("o").unwrap().more.as_deref(), Some("b"));
        assert_eq!(kb.entry("b").unwrap().why.as_deref(), Some("o"));
        assert_eq!(kb.entry("b").unwrap().more, None);
    }

    #[test]
    fn an_example_may_name_its_own_entry() {
        let text = manifest(&[
            ("o", "kind = \"overview\"\nexample = \"o\""),
            ("b", "kind = \"background\"\nexample = \"o\""),
        ]);
        let kb = parse(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(kb.entry("o").unwrap().example.as_deref(), Some("o"));
        assert_eq!(kb.entry("b").unwrap().example.as_deref(), Some("o"));
    }

    const SOURCE: &str = "One.\n\nTwo.\n\nThree.\n";

    /// A manifest whose entries are `(id, lines)`: `lines` sets `kind` and
    /// whatever else the case is about; the rest is filled in validly.
    fn manifest(entries: &[(&str, &str)]) -> String {
        let mut text = String::from(
            "[source]\ntitle = \"T\"\nauthor = \"A\"\npaper = \"P\"\ntext = \"s.txt\"\n",
        );
        for (id, lines) in entries {
            text += &format!(
                "\n[[entry]]\nid = \"{id}\"\n{lines}\ntitle = \"T\"\npassage = [\"One.\", \"Two.\", \"Three.\"]\n\
                 questions = [\"a\", \"b\", \"c\", \"d\"]\nquestions_ko = [\"가\", \"나\"]\n"
            );
        }
        text
    }

    fn parse(manifest: &str) -> Result<KnowledgeBase, KnowledgeError> {
        KnowledgeBase::parse("test", MANIFEST, manifest, |_| Ok(SOURCE.to_owned()))
    }

    #[test]
    fn entry_kinds_and_step_numbers_are_checked_together() {
        // (what, entries, a phrase of the one problem expected); the problem
        // is on the line marked `# here`.
        type Entries<'a> = &'a [(&'a str, &'a str)];
        let overview = ("o", "kind = \"overview\"");
        let cases: &[(&str, Entries, &str)] = &[
            (
                "two entries with the same step",
                &[
                    overview,
                    ("a", "kind = \"step\"\nstep = 1"),
                    ("b", "kind = \"step\"\nstep = 1 # here"),
                ],
                "entry \"b\" has step 1, as does entry \"a\" (line 18)",
            ),
            (
                "answered_by on a step",
                &[
                    overview,
                    ("a", "kind = \"step\"\nstep = 1\nanswered_by = [1] # here"),
                ],
                "entry \"a\" is not of kind \"background\" but has `answered_by`",
            ),
            (
                "answered_by on the overview",
                &[("o", "kind = \"overview\"\nanswered_by = [1, 2] # here")],
                "entry \"o\" is not of kind \"background\" but has `answered_by`",
            ),
            (
                "answered_by on an about entry",
                &[("x", "kind = \"about\"\nanswered_by = [1] # here")],
                "entry \"x\" is not of kind \"background\" but has `answered_by`",
            ),
            (
                "steps 1 and 3 but no 2",
                &[
                    overview,
                    ("a", "kind = \"step\"\nstep = 1"),
                    ("c", "kind = \"step\"\nstep = 3 # here"),
                ],
                "entry \"c\" has step 3, but no entry has step 2",
            ),
            (
                "step 2 but no 1",
                &[overview, ("b", "kind = \"step\"\nstep = 2 # here")],
                "entry \"b\" has step 2, but no entry has step 1",
            ),
            (
                "two overviews",
                &[
                    overview,
                    ("a", "kind = \"step\"\nstep = 1"),
                    ("p", "kind = \"overview\" # here"),
                ],
                "entry \"p\" is a second overview (entry \"o\" on line 9 is one already)",
            ),
            (
                // The out-of-range step is the problem; its gap is not another.
                "a step out of range leaves no gap behind",
                &[
                    overview,
                    ("a", "kind = \"step\"\nstep = 0 # here"),
                    ("b", "kind = \"step\"\nstep = 2"),
                ],
                "entry \"a\" has step 0, outside 1–20",
            ),
            (
                "a step past the last number qabot has words for",
                &[
                    overview,
                    ("a", "kind = \"step\"\nstep = 1"),
                    ("b", "kind = \"step\"\nstep = 21 # here"),
                ],
                "entry \"b\" has step 21, outside 1–20",
            ),
            (
                "answered_by a step no entry has",
                &[
                    overview,
                    ("a", "kind = \"step\"\nstep = 1"),
                    ("b", "kind = \"step\"\nstep = 2"),
                    ("why", "kind = \"background\"\nanswered_by = [2, 3] # here"),
                ],
                "entry \"why\" has answered_by step 3, but no entry has step 3",
            ),
            (
                "answered_by a step out of range",
                &[
                    overview,
                    ("a", "kind = \"step\"\nstep = 1"),
                    ("why", "kind = \"background\"\nanswered_by = [0] # here"),
                ],
                "entry \"why\" has answered_by step 0, outside 1–20",
            ),
            (
                "a step on a background entry leaves no gap behind",
                &[
                    overview,
                    ("a", "kind = \"background\"\nstep = 1 # here"),
                    ("b", "kind = \"step\"\nstep = 2"),
                ],
                "entry \"a\" is not of kind \"step\" but has `step`",
            ),
            (
                "why names an entry that does not exist",
                &[overview, ("a", "kind = \"about\"\nwhy = \"nope\" # here")],
                "entry \"a\" has `why = \"nope\"`, but no entry has that id",
            ),
            (
                "more names its own entry",
                &[overview, ("a", "kind = \"about\"\nmore = \"a\" # here")],
                "entry \"a\" has `more` pointing at itself",
            ),
            (
                "example names an entry that does not exist",
                &[
                    overview,
                    ("a", "kind = \"about\"\nexample = \"nope\" # here"),
                ],
                "entry \"a\" has `example = \"nope\"`, but no entry has that id",
            ),
            (
                "why names its own entry",
                &[("o", "kind = \"overview\"\nwhy = \"o\" # here")],
                "entry \"o\" has `why` pointing at itself",
            ),
            (
                "a step entry without a number leaves no gap behind",
                &[
                    overview,
                    ("a", "kind = \"step\" # here"),
                    ("b", "kind = \"step\"\nstep = 2"),
                ],
                "step entry \"a\" has no `step`",
            ),
        ];
        for (what, entries, expected) in cases {
            let text = manifest(entries);
            let line = text.lines().position(|l| l.ends_with("# here")).unwrap() + 1;
            let problems = parse(&text).map(|_| ()).unwrap_err().problems;
            let got: Vec<(Option<usize>, &str)> = problems
                .iter()
                .map(|p| (p.line, p.message.as_str()))
                .collect();
            assert_eq!(got, [(Some(line), *expected)], "{what}:\n{text}");
            assert!(!problems[0].hint.is_empty(), "{what}");
        }
    }

    #[test]
    fn an_entry_id_longer_than_telegram_takes_is_placed_on_its_line() {
        let long = "x".repeat(MAX_ID_BYTES + 1);
        // 64 bytes of Korean is 21 characters and a byte: bytes count, not characters.
        let korean = "단".repeat(22);
        for id in [long.as_str(), korean.as_str()] {
            let text = manifest(&[("o", "kind = \"overview\""), (id, "kind = \"about\"")]);
            let line = text.lines().position(|l| l.contains(id)).unwrap() + 1;
            let problems = parse(&text).map(|_| ()).unwrap_err().problems;
            let got: Vec<_> = problems
                .iter()
                .map(|p| (p.line, p.message.as_str()))
                .collect();
            let message = format!(
                "entry id {id:?} is {} bytes, longer than the 64 Telegram allows an inline result's id",
                id.len()
            );
            assert_eq!(got, [(Some(line), message.as_str())]);
        }
        let fits = "x".repeat(MAX_ID_BYTES);
        let text = manifest(&[("o", "kind = \"overview\""), (&fits, "kind = \"about\"")]);
        assert!(parse(&text).is_ok());
    }

    #[test]
    fn steps_numbered_from_one_and_answered_by_on_background_are_valid() {
        // As many steps as the source has: four here, past the built-in column's three.
        let text = manifest(&[
            ("o", "kind = \"overview\""),
            ("c", "kind = \"step\"\nstep = 3"),
            ("a", "kind = \"step\"\nstep = 1"),
            ("d", "kind = \"step\"\nstep = 4"),
            ("b", "kind = \"step\"\nstep = 2"),
            ("why", "kind = \"background\"\nanswered_by = [1, 4]"),
        ]);
        let kb = parse(&text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(kb.step_count(), 4);
        assert_eq!(kb.step(2).unwrap().id, "b");
        assert_eq!(kb.step(4).unwrap().id, "d");
        assert_eq!(kb.entry("why").unwrap().answered_by, [1, 4]);
    }

    #[test]
    fn out_of_scope_names_are_single_words_the_source_does_not_use() {
        let base = manifest(&[("o", "kind = \"overview\"")]);
        let names = |list: &str| format!("{base}\n[out_of_scope]\nnames = {list}\n");
        let kb = parse(&names("[\"Fourteen\", \"열넷\"]")).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(kb.out_of_scope_names, ["Fourteen", "열넷"]);
        assert!(parse(&base).unwrap().out_of_scope_names.is_empty());
        let line = base.lines().count() + 3;
        let cases = [
            (
                "[\"two words\"]",
                "out-of-scope name \"two words\" is empty or has spaces",
            ),
            ("[\"\"]", "out-of-scope name \"\" is empty or has spaces"),
            // SOURCE is "One.\n\nTwo.\n\nThree.\n".
            (
                "[\"three\"]",
                "out-of-scope name \"three\" is a word of the source",
            ),
        ];
        for (list, expected) in cases {
            let error = parse(&names(list)).unwrap_err();
            let got: Vec<(Option<usize>, &str)> = error
                .problems
                .iter()
                .map(|p| (p.line, p.message.as_str()))
                .collect();
            assert_eq!(got, [(Some(line), expected)], "{list}");
        }
    }

    #[test]
    fn a_source_file_that_cannot_be_read_is_reported_where_it_is_named() {
        let text = manifest(&[("o", "kind = \"overview\"")]);
        let error = KnowledgeBase::parse("test", MANIFEST, &text, |name| {
            Err(Problem {
                file: PathBuf::from("kb").join(name),
                line: None,
                message: "does not exist".into(),
                hint: "check the name".into(),
            })
        })
        .unwrap_err();
        let [problem] = &error.problems[..] else {
            panic!("{error}")
        };
        assert_eq!(problem.file, PathBuf::from(MANIFEST));
        assert_eq!(problem.line, Some(5));
        assert_eq!(
            problem.message,
            format!(
                "source file {} does not exist",
                Path::new("kb/s.txt").display()
            )
        );
        assert!(problem.hint.contains("`source.text`"), "{problem}");
    }

    #[test]
    fn a_manifest_that_does_not_parse_says_other_problems_wait() {
        let error = parse("[source]\ntitle = 3\n").unwrap_err();
        let [problem] = &error.problems[..] else {
            panic!("{error}")
        };
        assert_eq!(problem.line, Some(2));
        assert!(
            problem
                .hint
                .contains("other problems are reported once this one is fixed"),
            "{problem}"
        );
    }

    #[test]
    fn line_index_counts_from_one() {
        let idx = LineIndex::new("a\nb\n\nc");
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(2), 2);
        assert_eq!(idx.line(5), 4);
    }
}
