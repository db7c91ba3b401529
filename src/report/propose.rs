//! From a report to its proposals: each "did you mean" pick and each group
//! of declined or low-confidence questions becomes one proposal (add its
//! questions to an entry, or to `[out_of_scope]`), measured on a copy of
//! the knowledge base ([`super::proof`]) before it is shown.

use super::build::snippet;
use super::edit::{Addition, Target};
use super::proof::{MAX_PROPOSALS, Proposal, Workbench};
use super::{Asked, Report};
use crate::knowledge::KnowledgeBase;
use crate::matcher::Matcher;

impl Report {
    /// Measures the report's advice on `bench` and lists it, numbered, in
    /// [`Report::proposals`]: the picks first, then the groups, at most
    /// [`MAX_PROPOSALS`].
    pub fn prove(&mut self, kb: &KnowledgeBase, matcher: &Matcher, bench: &Workbench) {
        // Never advice that makes an entry answer what the knowledge base
        // itself marks out of scope (nor a question already declined as such).
        let open = |questions: &[Asked]| -> Vec<Asked> {
            questions
                .iter()
                .filter(|q| !matcher.is_out_of_scope(&q.question))
                .cloned()
                .collect()
        };
        let mut wanted: Vec<(Target, Vec<Asked>)> = Vec::new();
        for p in &self.pairings {
            if kb.entry(&p.entry).is_some() {
                wanted.push((Target::Entry(p.entry.clone()), open(&p.questions)));
            }
        }
        for g in &self.groups {
            let target = match &g.suggested_entry {
                Some(id) => Target::Entry(id.clone()),
                None => Target::OutOfScope,
            };
            wanted.push((target, open(&g.questions)));
        }
        wanted.retain(|(_, questions)| !questions.is_empty());
        wanted.truncate(MAX_PROPOSALS);
        self.proposals = wanted
            .into_iter()
            .enumerate()
            .map(|(i, (target, questions))| {
                let addition = addition(&target, &questions);
                let entry = match &target {
                    Target::Entry(id) => Some(id.as_str()),
                    Target::OutOfScope => None,
                };
                let toml = snippet(kb, entry, &questions);
                Proposal {
                    number: i + 1,
                    code: super::proof::code(&toml),
                    toml,
                    effect: bench.measure(&[addition]),
                    target,
                    questions,
                }
            })
            .collect();
        self.labelled_files = bench
            .labelled_files()
            .into_iter()
            .map(str::to_owned)
            .collect();
        self.labelled_unread = bench.unread.clone();
    }
}

/// What a proposal writes: its questions, each with its language.
pub fn addition(target: &Target, questions: &[Asked]) -> Addition {
    Addition {
        target: target.clone(),
        questions: questions
            .iter()
            .map(|q| (q.question.clone(), q.lang))
            .collect(),
    }
}
