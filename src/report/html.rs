//! The report as one self-contained HTML page (`qabot report --html FILE`),
//! built from the same [`Report`] as `--json`: charts inlined as SVG, CSS
//! and the copy buttons' script inlined too, and a Content-Security-Policy
//! that lets the page load nothing from anywhere, so it opens offline and
//! can be mailed.
//!
//! Every logged question is user input. The page is written with maud,
//! which escapes every value put in it; only the charts, which plotters
//! drew from dates and counts, and the page's own CSS and script go in
//! unescaped. Characters that hide or disguise text are written out
//! ([`super::visible`]).

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::charts::{self, ChartError, DECISIONS};
use super::edit::Target;
use super::visible::visible;
use super::{Asked, Report};

const CSS: &str = "
body{font-family:system-ui,sans-serif;margin:2rem auto;max-width:60rem;padding:0 1rem;color:#222}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
.charts{display:flex;flex-wrap:wrap;gap:1rem}.chart svg{display:block;max-width:100%;height:auto}
figure{margin:0}figcaption{font-size:.9rem;color:#555}
.legend span{display:inline-block;margin-right:1rem}.legend i{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem}
table{border-collapse:collapse}td,th{padding:.2rem .6rem;text-align:left;border-bottom:1px solid #eee}td.n{text-align:right}
.proposal,.group{border:1px solid #ddd;border-radius:.4rem;padding:.6rem 1rem;margin:.8rem 0}
.refused{border-color:#c62828}.ok{color:#2e7d32}.no{color:#c62828}
pre{background:#f6f6f6;padding:.5rem;overflow-x:auto;white-space:pre-wrap}
button{font:inherit;padding:.2rem .8rem;cursor:pointer}
";

const SCRIPT: &str = "
function qabotCopy(button) {
  var text = button.getAttribute('data-toml');
  var done = function () { button.textContent = 'Copied'; };
  var fallback = function () {
    var area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    try { document.execCommand('copy'); done(); } catch (e) { button.textContent = 'Select the text above'; }
    area.remove();
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done, fallback);
  } else {
    fallback();
  }
}
document.querySelectorAll('button.copy').forEach(function (button) {
  button.addEventListener('click', function () { qabotCopy(button); });
});
";

/// Nothing from anywhere: no script, style, font or image but the page's own.
const POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'";

impl Report {
    /// The report as one HTML page.
    pub fn to_html(&self) -> Result<String, ChartError> {
        let per_day = charts::per_day(&self.days)?;
        let rate = charts::answer_rate(&self.days)?;
        let languages = charts::split("language", &pairs(&self.languages))?;
        let chats = charts::split("kind of chat", &pairs(&self.chats))?;
        let d = &self.decisions;
        let page = html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta http-equiv="Content-Security-Policy" content=(POLICY);
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { "qabot report " (self.since) " – " (self.until) }
                    style { (PreEscaped(CSS)) }
                }
                body {
                    h1 { "Question log, " (self.since) " to " (self.until) }
                    p {
                        (self.questions) " questions from " (self.people) " people: answered "
                        (percent(d.answered_share)) ", suggested " (percent(d.suggested_share))
                        ", declined " (percent(d.declined_share)) ", small talk "
                        (percent(d.smalltalk_share)) ". Days are UTC."
                        @if self.follow_ups > 0 {
                            " " (self.follow_ups) " of the questions were follow-ups, answered with the conversation's context."
                        }
                    }
                    h2 { "Trends" }
                    div.charts {
                        figure.chart #per-day {
                            (PreEscaped(per_day))
                            figcaption.legend {
                                "Questions per day, by decision: "
                                @for (name, c) in DECISIONS {
                                    span { i style=(format!("background:rgb({},{},{})", c.0, c.1, c.2)) {} (name) }
                                }
                            }
                        }
                        figure.chart #answer-rate {
                            (PreEscaped(rate))
                            figcaption { "Share of each day's questions answered" }
                        }
                        figure.chart #languages {
                            (PreEscaped(languages))
                            figcaption { "Questions by language" }
                        }
                        figure.chart #chats {
                            (PreEscaped(chats))
                            figcaption { "Questions by kind of chat" }
                        }
                    }
                    h2 { "Most asked entries" }
                    (self.entries())
                    h2 { "Proposals" }
                    (self.proposals_html())
                    h2 { "Declined and low-confidence questions" }
                    (self.groups_html())
                    script { (PreEscaped(SCRIPT)) }
                }
            }
        };
        Ok(page.into_string())
    }

    fn entries(&self) -> Markup {
        html! {
            @if self.top_entries.is_empty() {
                p { "No entry was answered in this window." }
            } @else {
                table {
                    tr { th { "entry" } th { "asked" } th { "👍 up" } th { "👎 down" } }
                    @for e in &self.top_entries {
                        @let votes = self.feedback.iter().find(|f| f.entry == e.entry);
                        tr {
                            td { (visible(&e.entry)) }
                            td.n { (e.count) }
                            td.n { (votes.map_or(0, |v| v.up)) }
                            td.n { (votes.map_or(0, |v| v.down)) }
                        }
                    }
                }
            }
        }
    }

    fn proposals_html(&self) -> Markup {
        html! {
            p {
                "Each proposal was tried on a copy of the knowledge base; labelled files: "
                @if self.labelled_files.is_empty() { "none" } @else { (self.labelled_files.join(", ")) }
                ". Apply one with " code { "qabot report --apply N@CODE" } " as shown (with the same --since), then reload the bot."
            }
            @for unread in &self.labelled_unread {
                p.no { "Not measured on: " (unread) }
            }
            @if self.proposals.is_empty() { p { "None." } }
            @for p in &self.proposals {
                @let e = &p.effect;
                div.proposal.refused[e.refused.is_some()] id=(format!("proposal-{}", p.number)) {
                    h3 {
                        (p.number) ". Add " (crate::plural::count(p.questions.len(), "question", "questions"))
                        " to " code { (visible(&p.target.to_string())) }
                    }
                    ul { @for q in &p.questions { li { (asked(q)) } } }
                    p {
                        @match p.target { Target::Entry(_) => "answers ", Target::OutOfScope => "declines " }
                        (e.answers.right) " of " (e.answers.total) " of them (now " (e.answers_before.right) "); "
                        @if e.problems.is_empty() { span.ok { "check passes" } } @else { span.no { "check fails" } }
                    }
                    @for problem in &e.problems { pre.no { (problem) } }
                    @if !e.floors.is_empty() {
                        table {
                            tr { th { "floor" } th { "before" } th { "after" } }
                            @for f in &e.floors {
                                tr { td { (f.name) } td.n { (f.before.to_string()) } td.n { (f.after.to_string()) } }
                            }
                        }
                    }
                    @match &e.refused {
                        Some(why) => p.no { "Not advised: " (why) },
                        None => p.ok { "Advised: " code { "qabot report --apply " (p.number) "@" (p.code) } },
                    }
                    pre { (p.toml) }
                    button.copy type="button" data-toml=(p.toml) { "Copy TOML" }
                }
            }
        }
    }

    fn groups_html(&self) -> Markup {
        html! {
            @if self.groups.is_empty() { p { "None." } }
            @for (i, g) in self.groups.iter().enumerate() {
                div.group {
                    h3 {
                        (i + 1) ". " (g.count) " asked ("
                        (g.decisions.iter().map(|(k, n)| format!("{k} {n}")).collect::<Vec<_>>().join(", "))
                        ")"
                    }
                    ul { @for q in &g.questions { li { (asked(q)) } } }
                    @if g.already_out_of_scope > 0 {
                        p { (g.already_out_of_scope) " already out of scope: the knowledge base declines them, as it should." }
                    }
                    @if let (Some(entry), Some(score)) = (&g.suggested_entry, g.score) {
                        p { "Suggested entry: " code { (visible(entry)) } (format!(" (scores {score:.2})")) }
                    }
                }
            }
            @if let Some(left) = &self.not_grouped { p.no { (left.line()) } }
        }
    }
}

fn asked(q: &Asked) -> String {
    let text = visible(&q.question);
    if q.count > 1 {
        format!("{text} ×{}", q.count)
    } else {
        text.into_owned()
    }
}

fn pairs(counts: &std::collections::BTreeMap<String, usize>) -> Vec<(String, usize)> {
    counts.iter().map(|(k, n)| (k.clone(), *n)).collect()
}

fn percent(share: f64) -> String {
    format!("{:.0}%", share * 100.0)
}
