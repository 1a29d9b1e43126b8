//! Connections are served here rather than by a framework so that each one has a kill switch:
//! drop-after-commit must close the TCP connection without writing any response.

use std::sync::Arc;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify};

use crate::router::{self, KillSwitch};
use crate::state::State;

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
        let Ok((stream, _)) = accepted else { continue };
        let _ = stream.set_nodelay(true);
        tokio::spawn(serve(stream, state.clone(), for_connections.clone()));
    }
}

async fn serve(stream: TcpStream, state: Arc<State>, mut shutdown: watch::Receiver<bool>) {
    let kill = Arc::new(Notify::new());
    let switch = KillSwitch(kill.clone());
    let service = service_fn(move |mut req| {
        req.extensions_mut().insert(switch.clone());
        let state = state.clone();
        async move { Ok::<_, std::convert::Infallible>(router::handle(state, req).await) }
    });
    let conn = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
    tokio::select! {
        biased;
        _ = kill.notified() => {}
        _ = crate::state::stopped(&mut shutdown) => {}
        _ = conn => {}
    }
}
