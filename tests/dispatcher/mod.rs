//! The real dispatcher, run in-process by the tests that drive it against
//! the fake Bot API: how such a test stops it.

use std::time::{Duration, Instant};

use qabot::bot::StartError;
use teloxide::dispatching::ShutdownToken;
use tokio::task::JoinHandle;

/// Shuts the dispatcher down and waits for it to end cleanly. Safety nets
/// only: a loaded 2-core machine can take seconds to start or stop a
/// dispatcher, and no test measures that.
pub async fn stop(shutdown: ShutdownToken, task: JoinHandle<Result<(), StartError>>) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while shutdown.shutdown().is_err() {
        assert!(Instant::now() < deadline, "the dispatcher never started");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    tokio::time::timeout(Duration::from_secs(60), task)
        .await
        .expect("the dispatcher stops within 60 s")
        .expect("no panic")
        .expect("no error");
}
