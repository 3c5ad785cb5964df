//! Serving a router as HQ's receiver and the hall's queue service both do:
//! HTTPS with a certificate and key (rustls), plain HTTP on loopback only,
//! on a multi-threaded runtime until the process ends.

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;

use axum::Router;

/// Refuses plain HTTP anywhere but loopback, before anything is opened.
pub fn check_plain(listen: SocketAddr, tls: &Option<(PathBuf, PathBuf)>) -> Result<(), String> {
    if tls.is_none() && !listen.ip().is_loopback() {
        return Err(format!(
            "plain HTTP is only served on loopback; give --cert and --key to listen on {listen}"
        ));
    }
    Ok(())
}

/// Binds `listen`, says the address bound to `ready`, and serves `app`.
pub fn serve(
    listen: SocketAddr,
    tls: Option<(PathBuf, PathBuf)>,
    app: Router,
    ready: impl FnOnce(SocketAddr),
) -> Result<(), String> {
    check_plain(listen, &tls)?;
    let listener = TcpListener::bind(listen).map_err(|e| format!("{listen}: {e}"))?;
    listener.set_nonblocking(true).map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async move {
        // Handlers that limit per address (the public progress look-up) see
        // the peer's address.
        let service = app.into_make_service_with_connect_info::<SocketAddr>();
        match tls {
            Some((cert, key)) => {
                let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(&cert, &key)
                    .await
                    .map_err(|e| {
                        format!(
                            "certificate {} or key {}: {e}",
                            cert.display(),
                            key.display()
                        )
                    })?;
                let server =
                    axum_server::from_tcp_rustls(listener, config).map_err(|e| e.to_string())?;
                ready(addr);
                server.serve(service).await.map_err(|e| e.to_string())
            }
            None => {
                let server = axum_server::from_tcp(listener).map_err(|e| e.to_string())?;
                ready(addr);
                server.serve(service).await.map_err(|e| e.to_string())
            }
        }
    })
}
