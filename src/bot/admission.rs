//! Admission: the step between fetching an update and answering it, which
//! keeps one chat's backlog from holding up everyone else.
//!
//! Updates are answered in lanes ([`Lane`]: a chat, or in a group one
//! member of it): one after another within a lane, in the order they came,
//! and lanes side by side. The lanes are kept here ([`Admission::start`]),
//! not by teloxide's dispatcher (`lanes` says why).
//!
//! Each update that comes in is counted against its chat's budget
//! (`max_waiting_per_chat`) before it is answered, and handed back when
//! its answer ends ([`Ticket`]). It counts against its sender's budget
//! too, across every chat ([`CHATS_PER_USER`] chats' worth): one user
//! flooding many groups at once gets that, not a budget per group. Past
//! either budget it is dropped unread, before any matching or sending: the
//! chat gets one notice per burst, the log one line per burst with the
//! count, the question log one "dropped" row per question. So a flood
//! costs a few answers' worth of work and memory, whatever its size.
//!
//! A stop drops what is still queued the same way: once [`Admission::stop`]
//! is called, updates not yet started are counted and let go, and only the
//! replies already being sent go on.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use teloxide::prelude::*;
use teloxide::types::UpdateKind;

use super::send::{self, Target, retrying};
use super::turns::{Turn, Turns};
use super::{Live, Telegram, handlers, texts};
use crate::config::BotConfig;
use crate::matcher::Lang;
use crate::question_log::QuestionLog;

/// A user's budget across every chat, in chats' budgets: room to ask in a
/// private chat while their questions wait in a busy group, and no more.
pub const CHATS_PER_USER: u32 = 2;

/// How long a chat must stay quiet (nothing waiting, nothing dropped) for
/// its burst to end, and be logged: a flood arrives in batches, and one
/// flood is one burst, not one per batch.
const BURST_QUIET: Duration = Duration::from_secs(10);

/// How often ended bursts are looked for.
const SWEEP_EVERY: Duration = Duration::from_secs(1);

/// The lane an update is answered in, after the ones before it in that
/// lane: a private chat, or one member of a group (so that members are
/// answered side by side, and one cannot hold up the rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Lane {
    chat: i64,
    member: Option<u64>,
}

/// The lane of an update; `None` for updates outside any chat (inline
/// queries), which are answered side by side.
pub fn lane(update: &Update) -> Option<Lane> {
    let chat = update.chat()?;
    let member = if chat.is_private() {
        None
    } else {
        update.from().map(|user| user.id.0)
    };
    Some(Lane {
        chat: chat.id.0,
        member,
    })
}

/// A budget an update counts against: its lane's; a user's outside any
/// chat (inline queries), as if it were a chat; or its sender's across
/// every chat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Lane(Lane),
    Inline(u64),
    User(u64),
}

/// The budgets one update counts against, the first full one taking the
/// burst: its sender's across every chat (none for a message sent on
/// behalf of a chat), then its lane's (outside a chat, the sender's
/// inline one). A flood in one chat fills the lane's first, and is that
/// chat's burst; spread over many chats it fills the sender's, which then
/// takes every drop, wherever it is, with one notice.
type Keys = [Option<Key>; 2];

impl Key {
    fn all(update: &Update) -> Keys {
        let sender = sender(update);
        let lane = lane(update).map(Key::Lane).or(sender.map(Key::Inline));
        [sender.map(Key::User), lane]
    }

    /// Its budget, when a chat's is `per_chat`.
    fn limit(self, per_chat: u32) -> u32 {
        match self {
            Key::Lane(_) | Key::Inline(_) => per_chat,
            Key::User(_) => per_chat * CHATS_PER_USER,
        }
    }

    /// What the key is, for the log: never an id.
    fn kind(self) -> &'static str {
        match self {
            Key::Lane(Lane { member: None, .. }) => "chat",
            Key::Lane(Lane {
                member: Some(_), ..
            }) => "group member",
            Key::Inline(_) => "inline user",
            Key::User(_) => "user",
        }
    }
}

/// The person who sent `update`, if it was a person. A message sent on
/// behalf of a chat (an anonymous group admin, a channel, a channel's post
/// forwarded to its discussion group) names as its sender a stand-in
/// account that every such message in every group shares: a budget for
/// that account would be all of theirs.
fn sender(update: &Update) -> Option<u64> {
    if let UpdateKind::Message(msg) | UpdateKind::EditedMessage(msg) = &update.kind
        && msg.sender_chat.is_some()
    {
        return None;
    }
    update.from().map(|user| user.id.0)
}

/// What to do with an update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Admit,
    /// Over budget: drop it. `first` for the first drop of a burst, the
    /// one that gets the notice.
    Drop {
        first: bool,
    },
}

/// A run of drops from one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Burst {
    dropped: u64,
    since: Instant,
    last: Instant,
}

#[derive(Debug, Default)]
struct Waiting {
    count: u32,
    burst: Option<Burst>,
}

/// The counts, without I/O: how many updates each key has waiting, and
/// its burst of drops, if any. A key with nothing waiting and no burst is
/// forgotten, so the map holds only chats with something going on.
#[derive(Debug)]
struct Budget {
    limit: u32,
    keys: HashMap<Key, Waiting>,
}

impl Budget {
    fn new(limit: u32) -> Budget {
        Budget {
            limit: limit.max(1),
            keys: HashMap::new(),
        }
    }

    /// Counts an update against each of `keys`, or, when one of them has
    /// its budget full, drops it: the burst is that key's.
    fn admit(&mut self, keys: Keys, now: Instant) -> Verdict {
        let full = keys.into_iter().flatten().find(|key| {
            self.keys
                .get(key)
                .is_some_and(|waiting| waiting.count >= key.limit(self.limit))
        });
        let Some(key) = full else {
            for key in keys.into_iter().flatten() {
                self.keys.entry(key).or_default().count += 1;
            }
            return Verdict::Admit;
        };
        let waiting = self.keys.entry(key).or_default();
        match &mut waiting.burst {
            Some(burst) => {
                burst.dropped += 1;
                burst.last = now;
                Verdict::Drop { first: false }
            }
            None => {
                waiting.burst = Some(Burst {
                    dropped: 1,
                    since: now,
                    last: now,
                });
                Verdict::Drop { first: true }
            }
        }
    }

    /// An admitted update, counted against `keys`, is done.
    fn release(&mut self, keys: Keys) {
        for key in keys.into_iter().flatten() {
            if let Some(waiting) = self.keys.get_mut(&key) {
                waiting.count = waiting.count.saturating_sub(1);
                if waiting.count == 0 && waiting.burst.is_none() {
                    self.keys.remove(&key);
                }
            }
        }
    }

    /// The bursts that are over at `now` (nothing waiting, nothing dropped
    /// for [`BURST_QUIET`]), taken out.
    fn ended(&mut self, now: Instant) -> Vec<(Key, Burst)> {
        let mut ended = Vec::new();
        self.keys.retain(|key, waiting| match waiting.burst {
            Some(burst)
                if waiting.count == 0
                    && now.saturating_duration_since(burst.last) >= BURST_QUIET =>
            {
                ended.push((*key, burst));
                false
            }
            _ => true,
        });
        ended
    }

    /// Updates admitted and not yet done.
    fn waiting(&self) -> u64 {
        self.keys.values().map(|w| u64::from(w.count)).sum()
    }

    /// Every burst, over or not (at a stop), taken out.
    fn all_bursts(&mut self) -> Vec<(Key, Burst)> {
        self.keys
            .iter_mut()
            .filter_map(|(key, waiting)| waiting.burst.take().map(|burst| (*key, burst)))
            .collect()
    }
}

/// The admission step, shared by the listener (which admits or drops each
/// update), the handler tree (which holds a [`Ticket`] while it answers)
/// and the stop.
#[derive(Clone)]
pub struct Admission(Arc<Shared>);

struct Shared {
    budget: Mutex<Budget>,
    /// Whose turn it is in each lane.
    lanes: Turns<Lane>,
    stopping: AtomicBool,
    /// Updates let go because the bot was stopping.
    dropped_at_stop: AtomicU64,
    tg: Telegram,
    config: Arc<BotConfig>,
    log: QuestionLog,
    live: Live,
}

impl Shared {
    fn budget(&self) -> std::sync::MutexGuard<'_, Budget> {
        self.budget.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Admission {
    /// Admission for `config`'s budget; drops are told to the chat through
    /// `tg` and recorded in `log`. Starts the task that logs ended bursts.
    pub(super) fn new(
        tg: Telegram,
        config: Arc<BotConfig>,
        log: QuestionLog,
        live: Live,
    ) -> Admission {
        let shared = Arc::new(Shared {
            budget: Mutex::new(Budget::new(config.max_waiting_per_chat)),
            lanes: Turns::default(),
            stopping: AtomicBool::new(false),
            dropped_at_stop: AtomicU64::new(0),
            tg,
            config,
            log,
            live,
        });
        tokio::spawn(sweep(Arc::downgrade(&shared)));
        Admission(shared)
    }

    /// Whether the dispatcher gets `update`: within its chat's budget, and
    /// the bot not stopping. A dropped question is told and recorded here.
    pub(super) fn admit(&self, update: &Update) -> bool {
        if self.stopping() {
            self.0.dropped_at_stop.fetch_add(1, Ordering::Relaxed);
            return false;
        }
        let verdict = self.0.budget().admit(Key::all(update), Instant::now());
        match verdict {
            Verdict::Admit => true,
            Verdict::Drop { first } => {
                self.dropped(update, first);
                false
            }
        }
    }

    /// The ticket an admitted update holds while it is answered, given
    /// when its lane's turn comes: call this in the order updates came.
    /// `None` (and the update let go, counted) if by then the bot is
    /// stopping.
    pub(super) async fn start(&self, update: &Update) -> Option<Ticket> {
        let turn = match lane(update) {
            Some(lane) => Some(self.0.lanes.take(lane).await),
            None => None,
        };
        let ticket = Ticket {
            _release: Arc::new(Release {
                shared: Arc::downgrade(&self.0),
                keys: Key::all(update),
                _turn: turn,
            }),
        };
        if self.stopping() {
            self.0.dropped_at_stop.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        Some(ticket)
    }

    /// From now on, updates not yet being answered are dropped.
    pub(super) fn stop(&self) {
        self.0.stopping.store(true, Ordering::Relaxed);
    }

    pub(super) fn stopping(&self) -> bool {
        self.0.stopping.load(Ordering::Relaxed)
    }

    /// Logs what the stop dropped, and the bursts still going on; with
    /// `given_up` (the deadline passed), the replies still being sent too.
    pub(super) fn log_at_stop(&self, given_up: bool) {
        let (bursts, waiting) = {
            let mut budget = self.0.budget();
            (budget.all_bursts(), budget.waiting())
        };
        for (key, burst) in bursts {
            log_burst(key, burst, self.0.config.max_waiting_per_chat);
        }
        let dropped = self.0.dropped_at_stop.load(Ordering::Relaxed);
        let given_up = if given_up { waiting } else { 0 };
        if dropped + given_up > 0 {
            tracing::warn!(
                dropped,
                given_up,
                "stopping: dropped {dropped} queued updates unanswered, gave up {given_up} replies still being sent at stop_deadline_ms; Telegram does not send them again"
            );
        }
    }

    /// A question over budget: one notice per burst, one question-log row
    /// each. Sending is left to a task: the listener never waits.
    fn dropped(&self, update: &Update, first: bool) {
        let shared = &self.0;
        handlers::record_dropped(update, &shared.log, &shared.live);
        if !first {
            return;
        }
        let (tg, config) = (shared.tg.clone(), shared.config.clone());
        match &update.kind {
            UpdateKind::Message(msg) | UpdateKind::EditedMessage(msg) => {
                let lang =
                    Lang::from_code(msg.from.as_ref().and_then(|u| u.language_code.as_deref()));
                let target = Target::answering(&msg.chat, msg.id);
                tokio::spawn(async move {
                    let reply = texts::busy_reply(lang);
                    if let Err(e) = send::reply(&tg, &config, target, &reply, None).await {
                        tracing::debug!(error = %e, "could not tell a flooding chat to wait");
                    }
                });
            }
            UpdateKind::CallbackQuery(q) => {
                let lang = Lang::from_code(q.from.language_code.as_deref());
                let id = q.id.clone();
                tokio::spawn(async move {
                    let answer = tg.bot().answer_callback_query(id).text(texts::busy(lang));
                    if let Err(e) = retrying(&config, || answer.send_ref()).await {
                        tracing::debug!(error = %e, "could not tell a flooding user to wait");
                    }
                });
            }
            // An inline query needs no answer: it expires.
            _ => {}
        }
    }
}

/// Logs ended bursts until admission is dropped.
async fn sweep(shared: Weak<Shared>) {
    loop {
        tokio::time::sleep(SWEEP_EVERY).await;
        let Some(shared) = shared.upgrade() else {
            return;
        };
        let ended = shared.budget().ended(Instant::now());
        for (key, burst) in ended {
            log_burst(key, burst, shared.config.max_waiting_per_chat);
        }
    }
}

/// One line per burst, with its count: never one per dropped update.
fn log_burst(key: Key, burst: Burst, per_chat: u32) {
    let seconds = burst.last.duration_since(burst.since).as_secs_f64();
    let limit = key.limit(per_chat);
    tracing::warn!(
        from = key.kind(),
        dropped = burst.dropped,
        seconds = (seconds * 10.0).round() / 10.0,
        "a {} sent updates faster than they are answered: dropped {} past its {limit} waiting (max_waiting_per_chat{}) over {seconds:.1} s",
        key.kind(),
        burst.dropped,
        if matches!(key, Key::User(_)) {
            ", times CHATS_PER_USER across chats"
        } else {
            ""
        },
    );
}

/// Held by the handler tree while an admitted update is answered; gives
/// its place in the budget and in its lane back when the last clone is
/// dropped.
#[derive(Clone)]
pub struct Ticket {
    /// Only ever dropped.
    _release: Arc<Release>,
}

struct Release {
    shared: Weak<Shared>,
    keys: Keys,
    /// The lane's turn, passed on once the answer is done.
    _turn: Option<Turn<Lane>>,
}

impl Drop for Release {
    fn drop(&mut self) {
        if let Some(shared) = self.shared.upgrade() {
            shared.budget().release(self.keys);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Key = Key::Lane(Lane {
        chat: 1,
        member: None,
    });
    const B: Key = Key::Lane(Lane {
        chat: -5,
        member: Some(7),
    });

    /// `admitted` admits, then a burst of `dropped` drops, the first of it
    /// first.
    fn admitted_then_dropped(admitted: usize, dropped: usize) -> Vec<Verdict> {
        let drops = (0..dropped).map(|i| Verdict::Drop { first: i == 0 });
        std::iter::repeat_n(Verdict::Admit, admitted)
            .chain(drops)
            .collect()
    }

    /// Counted against `key` alone.
    fn only(key: Key) -> Keys {
        [Some(key), None]
    }

    #[test]
    fn a_key_gets_its_budget_then_drops_with_one_first_per_burst() {
        let t0 = Instant::now();
        let mut budget = Budget::new(3);
        let verdicts: Vec<Verdict> = (0..6).map(|_| budget.admit(only(A), t0)).collect();
        use Verdict::*;
        assert_eq!(verdicts, admitted_then_dropped(3, 3));
        // Another chat is not touched by A's flood.
        assert_eq!(budget.admit(only(B), t0), Admit);
        // One answered: room for one more, and the burst goes on.
        budget.release(only(A));
        assert_eq!(budget.admit(only(A), t0), Admit);
        assert_eq!(budget.admit(only(A), t0), Drop { first: false });
    }

    #[test]
    fn a_user_flooding_many_groups_has_one_budget_for_all() {
        let t0 = Instant::now();
        let mut budget = Budget::new(3);
        let member = |group: i64, user: u64| -> Keys {
            [
                Some(Key::User(user)),
                Some(Key::Lane(Lane {
                    chat: group,
                    member: Some(user),
                })),
            ]
        };
        use Verdict::*;
        // One question in each of eight groups: the user's budget is two
        // chats' worth.
        let verdicts: Vec<Verdict> = (1..=8).map(|g| budget.admit(member(-g, 7), t0)).collect();
        assert_eq!(verdicts, admitted_then_dropped(6, 2));
        // The burst is the user's, not a group's.
        assert!(budget.keys[&Key::User(7)].burst.is_some());
        // The others in those groups are not touched.
        assert_eq!(budget.admit(member(-7, 8), t0), Admit);
        // One of the user's answered: room for one more, anywhere.
        budget.release(member(-1, 7));
        assert_eq!(budget.admit(member(-8, 7), t0), Admit);
        assert_eq!(budget.admit(member(-1, 7), t0), Drop { first: false });
        // In one chat, the chat's budget is full first: its burst.
        let mut budget = Budget::new(3);
        let verdicts: Vec<Verdict> = (0..5).map(|_| budget.admit(member(-1, 7), t0)).collect();
        assert_eq!(verdicts, admitted_then_dropped(3, 2));
        assert!(budget.keys[&Key::User(7)].burst.is_none());
    }

    #[test]
    fn a_burst_ends_once_nothing_waits_and_the_chat_was_quiet() {
        let t0 = Instant::now();
        let mut budget = Budget::new(1);
        budget.admit(only(A), t0);
        for _ in 0..4 {
            budget.admit(only(A), t0);
        }
        // Still waiting: the burst goes on however long it takes.
        assert!(budget.ended(t0 + BURST_QUIET * 2).is_empty());
        budget.release(only(A));
        assert!(
            budget.ended(t0 + BURST_QUIET / 2).is_empty(),
            "not quiet yet"
        );
        let ended = budget.ended(t0 + BURST_QUIET);
        assert_eq!(ended.len(), 1);
        assert_eq!(ended[0].0, A);
        assert_eq!(ended[0].1.dropped, 4);
        assert!(budget.keys.is_empty(), "forgotten once over");
        // The next drop starts a new burst, with its notice.
        budget.admit(only(A), t0);
        assert_eq!(budget.admit(only(A), t0), Verdict::Drop { first: true });
    }

    #[test]
    fn keys_with_nothing_going_on_are_forgotten() {
        let t0 = Instant::now();
        let mut budget = Budget::new(2);
        for key in [A, B] {
            budget.admit(only(key), t0);
            budget.admit(only(key), t0);
            budget.release(only(key));
            budget.release(only(key));
        }
        assert!(budget.keys.is_empty());
        // A release with nothing admitted (a stale ticket) changes nothing.
        budget.release(only(A));
        assert!(budget.keys.is_empty());
    }

    #[test]
    fn a_stop_takes_every_burst_over_or_not() {
        let t0 = Instant::now();
        let mut budget = Budget::new(1);
        for key in [A, B] {
            budget.admit(only(key), t0);
            budget.admit(only(key), t0);
            budget.admit(only(key), t0);
        }
        let mut taken = budget.all_bursts();
        taken.sort_by_key(|(key, _)| *key == B);
        assert_eq!(
            taken
                .iter()
                .map(|(k, b)| (*k, b.dropped))
                .collect::<Vec<_>>(),
            [(A, 2), (B, 2)]
        );
        assert!(budget.all_bursts().is_empty(), "each logged once");
    }

    /// An update as Telegram sends it (teloxide reads it from text only).
    fn parse(update: serde_json::Value) -> Update {
        serde_json::from_str(&update.to_string()).unwrap()
    }

    #[test]
    fn lanes_are_chats_and_in_groups_members() {
        let update = |chat: serde_json::Value, from: u64| -> Update {
            parse(serde_json::json!({
                "update_id": 1,
                "message": {
                    "message_id": 1, "date": 0, "chat": chat, "text": "hi",
                    "from": {"id": from, "is_bot": false, "first_name": "A"},
                }
            }))
        };
        let private = serde_json::json!({"id": 42, "type": "private", "first_name": "A"});
        let group = serde_json::json!({"id": -9, "type": "group", "title": "G"});
        assert_eq!(
            lane(&update(private, 42)),
            Some(Lane {
                chat: 42,
                member: None
            })
        );
        assert_eq!(
            lane(&update(group.clone(), 5)),
            Some(Lane {
                chat: -9,
                member: Some(5)
            })
        );
        assert_ne!(lane(&update(group.clone(), 5)), lane(&update(group, 6)));
        let inline = parse(serde_json::json!({
            "update_id": 2,
            "inline_query": {"id": "q", "from": {"id": 8, "is_bot": false, "first_name": "A"},
                             "query": "x", "offset": ""}
        }));
        assert_eq!(lane(&inline), None);
        assert_eq!(
            Key::all(&inline),
            [Some(Key::User(8)), Some(Key::Inline(8))]
        );
    }

    /// Edits and button presses are no way around the budget: they count
    /// where the message they edit or were pressed under would.
    #[test]
    fn edits_and_presses_count_against_the_same_budgets_as_messages() {
        let from = serde_json::json!({"id": 5, "is_bot": false, "first_name": "A"});
        let message = serde_json::json!({
            "message_id": 1, "date": 0, "text": "hi", "from": from,
            "chat": {"id": -9, "type": "group", "title": "G"},
        });
        let asked = Key::all(&parse(
            serde_json::json!({"update_id": 1, "message": message}),
        ));
        assert_eq!(
            asked,
            [
                Some(Key::User(5)),
                Some(Key::Lane(Lane {
                    chat: -9,
                    member: Some(5)
                }))
            ]
        );
        let edited = parse(serde_json::json!({"update_id": 2, "edited_message": message}));
        assert_eq!(Key::all(&edited), asked);
        let shown = serde_json::json!({
            "message_id": 2, "date": 0, "text": "steps",
            "from": {"id": 1, "is_bot": true, "first_name": "Bot"},
            "chat": {"id": -9, "type": "group", "title": "G"},
        });
        let pressed = parse(serde_json::json!({"update_id": 3, "callback_query": {
            "id": "c", "from": from, "chat_instance": "i", "message": shown, "data": "s:1:en",
        }}));
        assert_eq!(Key::all(&pressed), asked);
    }

    #[test]
    fn a_message_on_behalf_of_a_chat_counts_against_no_user() {
        let user = |id: u64| serde_json::json!({"id": id, "is_bot": false, "first_name": "A"});
        let group = serde_json::json!({"id": -9, "type": "supergroup", "title": "G"});
        let mut message = serde_json::json!({
            "message_id": 1, "date": 0, "chat": group, "text": "hi", "from": user(5),
        });
        let update = |message: &serde_json::Value| {
            parse(serde_json::json!({"update_id": 1, "message": message}))
        };
        let lane = Some(Key::Lane(Lane {
            chat: -9,
            member: Some(5),
        }));
        assert_eq!(Key::all(&update(&message)), [Some(Key::User(5)), lane]);
        // An anonymous admin: "from" is the account all of them share.
        message["sender_chat"] = group;
        assert_eq!(Key::all(&update(&message)), [None, lane]);
    }
}
