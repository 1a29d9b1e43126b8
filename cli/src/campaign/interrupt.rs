//! Ctrl-C during a campaign. Killing the process outright would lose the results of the
//! requests in flight: those messages went out, yet neither the results file nor the summary
//! would say so. So the first Ctrl-C only asks the campaign to stop at a safe point (no row is
//! read after it, the requests in flight settle and are recorded, the summary prints); a second
//! one quits at once.

use tokio::sync::watch;

use crate::fail::EXIT_INTERRUPTED;

#[derive(Clone)]
pub struct Interrupt {
    pressed: watch::Receiver<bool>,
}

impl Interrupt {
    /// Listens for Ctrl-C from now on. Telling the user is the caller's part: a line written
    /// from here would be drawn over by a progress bar.
    pub fn listen() -> Interrupt {
        let (tell, pressed) = watch::channel(false);
        tokio::spawn(async move {
            // Without signal handling, Ctrl-C keeps its default: the process ends.
            if tokio::signal::ctrl_c().await.is_err() {
                return;
            }
            let _ = tell.send(true);
            if tokio::signal::ctrl_c().await.is_ok() {
                std::process::exit(EXIT_INTERRUPTED);
            }
        });
        Interrupt { pressed }
    }

    pub fn requested(&self) -> bool {
        *self.pressed.borrow()
    }

    /// Resolves once Ctrl-C was pressed (at once if it already was); never, if it cannot be.
    pub async fn wait(&self) {
        let mut pressed = self.pressed.clone();
        if pressed.wait_for(|pressed| *pressed).await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}
