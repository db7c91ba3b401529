//! The real dispatcher, run in-process by the tests that drive it against
//! the fake Bot API: how such a test stops it.

use std::time::Duration;

use qabot::bot::{StartError, Stop};
use tokio::task::JoinHandle;

/// Stops the dispatcher, letting it answer what it has fetched, and waits
/// for it to end cleanly ([`Stop::finish`]: a shutdown token alone is
/// missed when it comes while the dispatcher hands out an update). Safety
/// nets only: a loaded 2-core machine can take seconds to start or stop a
/// dispatcher, and no test measures that.
pub async fn stop(stop: Stop, task: JoinHandle<Result<(), StartError>>) {
    tokio::time::timeout(Duration::from_secs(60), stop.finish())
        .await
        .expect("the dispatcher started");
    tokio::time::timeout(Duration::from_secs(60), task)
        .await
        .expect("the dispatcher stops within 60 s")
        .expect("no panic")
        .expect("no error");
}
