//! Connections are served here rather than by a framework so that each one has a kill switch:
//! drop-after-commit must close the TCP connection without writing any response.

use std::io::ErrorKind;
use std::sync::Arc;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};

use crate::router::{self, KillSwitch, OnLoopback};
use crate::state::State;

/// How long the accept loop waits after an error that is the machine's, not one connection's.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

pub async fn accept_loop(
    listener: TcpListener,
    state: Arc<State>,
    mut shutdown: watch::Receiver<bool>,
) {
    let for_connections = shutdown.clone();
    loop {
        let accepted = tokio::select! {
            _ = crate::state::stopped(&mut shutdown) => return,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, _)) => {
                let _ = stream.set_nodelay(true);
                tokio::spawn(serve(stream, state.clone(), for_connections.clone()));
            }
            // The connection was gone before it was accepted: take the next one.
            Err(e) if is_connection_error(e.kind()) => {}
            // Out of file descriptors (EMFILE, ENFILE) or memory: the pending connection stays
            // in the backlog and the listener stays readable, so accepting again at once fails
            // again at once, a core spinning until something frees a descriptor. Wait instead;
            // serving connections give theirs back as they end.
            Err(_) => {
                tokio::select! {
                    _ = crate::state::stopped(&mut shutdown) => return,
                    _ = tokio::time::sleep(ACCEPT_BACKOFF) => {}
                }
            }
        }
    }
}

fn is_connection_error(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset | ErrorKind::ConnectionRefused
    )
}

async fn serve(stream: TcpStream, state: Arc<State>, mut shutdown: watch::Receiver<bool>) {
    let kill = Arc::new(Notify::new());
    let switch = KillSwitch(kill.clone());
    let on_loopback = OnLoopback(stream.local_addr().is_ok_and(|a| a.ip().is_loopback()));
    // A connection that does not send a whole request head within the read timeout is closed,
    // so half-open and stalled connections do not pile up. hyper runs this timer whenever it
    // waits for a head, so it also closes a keep-alive connection idle for that long (clients
    // reopen one); it never runs while a request is being answered, however slowly.
    let read_timeout = state.read_timeout;
    let service = service_fn(move |mut req| {
        req.extensions_mut().insert(switch.clone());
        req.extensions_mut().insert(on_loopback);
        let state = state.clone();
        async move { Ok::<_, std::convert::Infallible>(router::handle(state, req).await) }
    });
    let conn = http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(read_timeout)
        .serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        biased;
        _ = kill.notified() => {}
        _ = crate::state::stopped(&mut shutdown) => {}
        _ = conn => {}
    }
}
