//! Stopping an apply part way, as Terraform does: once asked, no new call
//! starts, calls in flight finish, waits end at once (AWS goes on with what
//! it accepted), and the report says which is which.

use tokio::sync::watch;

/// Asks the apply to stop; the command layer holds it and wires it to
/// Ctrl-C and SIGTERM.
#[derive(Debug)]
pub struct Stop(watch::Sender<bool>);

/// What the apply watches to know it was asked to stop.
#[derive(Clone, Debug)]
pub struct Interrupt(watch::Receiver<bool>);

/// A `Stop` and the `Interrupt` it triggers.
pub fn interrupt() -> (Stop, Interrupt) {
    let (sender, receiver) = watch::channel(false);
    (Stop(sender), Interrupt(receiver))
}

impl Stop {
    pub fn stop(&self) {
        let _ = self.0.send(true);
    }
}

impl Interrupt {
    pub fn is_triggered(&self) -> bool {
        *self.0.borrow()
    }

    /// Resolves once the apply is asked to stop.
    pub async fn triggered(&self) {
        let mut receiver = self.0.clone();
        // A closed channel means no one can ask any more: wait forever.
        if receiver.wait_for(|stopped| *stopped).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_interrupt_is_seen_by_every_clone() {
        let (stop, interrupt) = interrupt();
        let other = interrupt.clone();
        assert!(!interrupt.is_triggered());
        stop.stop();
        other.triggered().await;
        assert!(interrupt.is_triggered());
    }
}
