//! HQ over HTTPS end to end: the receiver serves a certificate from files
//! (rustls); the counter trusts a private CA from its configuration. A
//! certificate that does not verify is a clear message and nothing is sent.

use std::path::{Path, PathBuf};

use crate::common::hq::{fresh_store, held, issue_token, local, Counter, Hq, Kind};
use crate::common::Scratch;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};

/// A CA and a server certificate for 127.0.0.1 signed by it, as PEM files.
pub(crate) fn certificates(dir: &Path, name: &str) -> (PathBuf, PathBuf, PathBuf) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("ca params");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, format!("{name} test CA"));
    let ca =
        CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("ca key")).expect("ca");
    let key = KeyPair::generate().expect("key");
    let params = CertificateParams::new(vec!["127.0.0.1".to_string(), "localhost".to_string()])
        .expect("params");
    let cert = params.signed_by(&key, &ca).expect("cert");
    let (ca_file, cert_file, key_file) = (
        dir.join(format!("{name}-ca.pem")),
        dir.join(format!("{name}-cert.pem")),
        dir.join(format!("{name}-key.pem")),
    );
    std::fs::write(&ca_file, ca.pem()).expect("ca file");
    std::fs::write(&cert_file, cert.pem()).expect("cert file");
    std::fs::write(&key_file, key.serialize_pem()).expect("key file");
    (ca_file, cert_file, key_file)
}

fn pay(desk: &mut counterdesk::desk::Desk) {
    let session = desk.sign_in("1001", "counter1001").expect("sign in");
    desk.start_shift(&session, "500").expect("shift");
}

#[test]
fn https_with_a_private_ca_uploads_and_an_unknown_certificate_is_refused() {
    let s = Scratch::new();
    let (ca, cert, key) = certificates(s.path(), "hq");
    let (other_ca, _, _) = certificates(s.path(), "other");
    let store = fresh_store(Kind::Sqlite, &s);
    let token = issue_token(&store, "C-TLS");
    let cert_s = cert.display().to_string();
    let key_s = key.display().to_string();
    let hq = Hq::start_with(
        &store,
        "127.0.0.1:0",
        &["--cert", &cert_s, "--key", &key_s],
        "https",
    );
    let mut c = Counter::new(&s, "C-TLS", &hq.url(), &token);

    // The public roots do not know this HQ.
    let mut desk = c.desk();
    pay(&mut desk);
    let err = desk.flush_upload(&mut |_, _| {}).expect_err("not trusted");
    assert_eq!(err.key(), "sync.certificate", "{err:?}");
    assert!(held(&store, "C-TLS").is_empty());
    drop(desk);

    // Another CA does not verify it either.
    c.config.hq.ca_file = other_ca;
    let mut desk = c.desk();
    assert_eq!(
        desk.flush_upload(&mut |_, _| {})
            .expect_err("wrong CA")
            .key(),
        "sync.certificate"
    );
    assert!(
        desk.read().upload_queue().expect("queue").waiting > 0,
        "nothing marked sent"
    );
    drop(desk);

    // The right CA: everything arrives.
    c.config.hq.ca_file = ca;
    let mut desk = c.desk();
    desk.flush_upload(&mut |_, _| {}).expect("over https");
    assert_eq!(held(&store, "C-TLS"), local(&c.db));
}

#[test]
fn plain_http_is_refused_off_loopback_and_a_missing_certificate_is_named() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .args([
            "--lang",
            "en",
            "hq",
            "serve",
            "--listen",
            "0.0.0.0:0",
            "--plain",
        ])
        .output()
        .expect("serve");
    assert_eq!(out.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("loopback"),
        "{out:?}"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_counterdesk"))
        .args(["--lang", "en", "hq", "serve", "--listen", "127.0.0.1:0"])
        .args([
            "--cert",
            "/nonexistent/cert.pem",
            "--key",
            "/nonexistent/key.pem",
        ])
        .output()
        .expect("serve");
    assert_eq!(out.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("/nonexistent/cert.pem"),
        "{out:?}"
    );
}
