//! Connecting to PostgreSQL from a `postgres://` / `postgresql://` URL, with TLS
//! through rustls, and every failure told in one sentence.
//!
//! `sslmode` follows libpq: `disable` (no TLS), `prefer` (the default: TLS when
//! the server offers it, certificate not checked), `require` (TLS or nothing,
//! certificate not checked), `verify-ca` and `verify-full` (TLS, the certificate
//! checked against `sslrootcert` or the public web roots, and the host name
//! checked; joinedup checks the name for `verify-ca` too, the stricter reading).
//! `sslcert` and `sslkey` (PEM files) send a client certificate, for a server that
//! signs users in by certificate (README "Access on a server").

use std::sync::Arc;
use std::time::Duration;

use postgres::config::SslMode;

use super::PgConn;
use crate::store::{Result, StoreError};

/// The oldest server this store runs on.
pub const OLDEST_SERVER: i32 = 130_000;

/// A database location as the user gave it: a file, or a server URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    File(std::path::PathBuf),
    Server(String),
}

impl Location {
    /// `postgres://…` and `postgresql://…` are servers; anything else is a file.
    pub fn parse(text: &str) -> Self {
        let lower = text.trim().to_ascii_lowercase();
        if lower.starts_with("postgres://") || lower.starts_with("postgresql://") {
            Location::Server(text.trim().to_owned())
        } else {
            Location::File(text.into())
        }
    }

    /// The location for messages: a server URL without its password.
    pub fn display(&self) -> String {
        match self {
            Location::File(p) => p.display().to_string(),
            Location::Server(url) => without_password(url),
        }
    }
}

/// The URL with any password replaced by `***`.
pub fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (auth, host) = match rest.rsplit_once('@') {
        Some((a, h)) => (a, h),
        None => return url.to_owned(),
    };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tls {
    Disable,
    Prefer,
    Require,
    Verify,
}

struct Parsed {
    config: postgres::Config,
    tls: Tls,
    root_cert: Option<std::path::PathBuf>,
    /// The client's certificate and key (libpq's `sslcert`, `sslkey`), for a server
    /// that signs users in by certificate (`hostssl … cert` in `pg_hba.conf`).
    client_cert: Option<ClientCert>,
    target: String,
}

/// A client certificate chain and its private key, as PEM files.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ClientCert {
    cert: std::path::PathBuf,
    key: std::path::PathBuf,
}

/// Split off what libpq's URLs carry that the `postgres` crate does not parse
/// (`sslmode=verify-*`, `sslrootcert`), then parse the rest.
fn parse(url: &str) -> Result<Parsed> {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut tls = Tls::Prefer;
    let mut root_cert = None;
    let (mut cert, mut key) = (None, None);
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "sslmode" => {
                tls = match v {
                    "disable" => Tls::Disable,
                    "allow" | "prefer" => Tls::Prefer,
                    "require" => Tls::Require,
                    "verify-ca" | "verify-full" => Tls::Verify,
                    other => {
                        return Err(StoreError::Connect(format!(
                            "sslmode={other} is not one PostgreSQL knows"
                        )));
                    }
                }
            }
            "sslrootcert" => root_cert = Some(std::path::PathBuf::from(v)),
            "sslcert" => cert = Some(std::path::PathBuf::from(v)),
            "sslkey" => key = Some(std::path::PathBuf::from(v)),
            _ => kept.push(pair),
        }
    }
    let client_cert = match (cert, key) {
        (Some(cert), Some(key)) => Some(ClientCert { cert, key }),
        (None, None) => None,
        _ => {
            return Err(StoreError::Connect(
                "a client certificate needs both sslcert and sslkey".into(),
            ));
        }
    };
    if client_cert.is_some() && tls == Tls::Disable {
        return Err(StoreError::Connect(
            "a client certificate needs TLS: sslmode=disable cannot send one".into(),
        ));
    }
    let rest = if kept.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", kept.join("&"))
    };
    let mut config: postgres::Config = rest.parse().map_err(|e: postgres::Error| {
        StoreError::Connect(format!("{} is not a usable database URL: {e}", without_password(url)))
    })?;
    config.ssl_mode(match tls {
        Tls::Disable => SslMode::Disable,
        Tls::Prefer => SslMode::Prefer,
        Tls::Require | Tls::Verify => SslMode::Require,
    });
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    if config.get_application_name().is_none() {
        config.application_name("joinedup");
    }
    let target = target_of(&config);
    Ok(Parsed {
        config,
        tls,
        root_cert,
        client_cert,
        target,
    })
}

fn target_of(config: &postgres::Config) -> String {
    let host = match config.get_hosts().first() {
        Some(postgres::config::Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let db = config
        .get_dbname()
        .map(str::to_owned)
        .or_else(|| config.get_user().map(str::to_owned))
        .unwrap_or_default();
    format!("{host}:{port}/{db}")
}

/// The server and database a URL names, as `host:port/database`: no user, no
/// password (from the URL's authority or its query), for the status bar.
pub fn server_target(url: &str) -> String {
    match parse(url) {
        Ok(p) => p.target,
        Err(_) => "a server (its address could not be read)".into(),
    }
}

/// Connect, and check the server is new enough.
pub fn connect(url: &str) -> Result<PgConn> {
    let p = parse(url)?;
    let client = match p.tls {
        Tls::Disable => p.config.connect(postgres::NoTls),
        tls => {
            let config = client_config(tls, p.root_cert.as_deref(), p.client_cert.as_ref())?;
            let connector = tokio_postgres_rustls::MakeRustlsConnect::new(config);
            p.config.connect(connector)
        }
    }
    .map_err(|e| connect_error(e, &p.target, p.tls))?;
    let conn = PgConn::new(client);
    let version: i32 = conn
        .client()
        .query_one("SELECT current_setting('server_version_num')::int", &[])
        .and_then(|r| r.try_get(0))
        .map_err(super::postgres::error)?;
    // Plans are made for the values given: the board's and the timeline's queries
    // read a temporary table and a person's rows, where a plan made once for any
    // value (PostgreSQL's generic plan after five runs) can be far slower.
    conn.client()
        .batch_execute("SET plan_cache_mode = force_custom_plan")
        .map_err(super::postgres::error)?;
    if version < OLDEST_SERVER {
        return Err(StoreError::Connect(format!(
            "the server at {} runs PostgreSQL {}.{}; joinedup needs PostgreSQL 13 or newer",
            p.target,
            version / 10_000,
            version % 10_000 / 100
        )));
    }
    Ok(conn)
}

/// One sentence for a failed connection.
fn connect_error(e: postgres::Error, target: &str, tls: Tls) -> StoreError {
    if let Some(db) = e.as_db_error() {
        return StoreError::Connect(format!(
            "the server at {target} refused the connection: {}",
            db.message()
        ));
    }
    let mut cause = String::new();
    let mut source: Option<&dyn std::error::Error> = std::error::Error::source(&e);
    while let Some(s) = source {
        cause = s.to_string();
        source = s.source();
    }
    let text = format!("{e} {cause}").to_lowercase();
    let why = if text.contains("does not support tls") || text.contains("server does not support ssl") {
        "TLS is required (sslmode) but the server does not offer it".to_owned()
    } else if text.contains("certificate") || text.contains("tls") && tls == Tls::Verify {
        format!("its TLS certificate could not be verified ({cause})")
    } else if text.contains("lookup") || text.contains("name or service") || text.contains("not known") {
        "no such host".to_owned()
    } else if text.contains("refused") {
        "nothing is listening there (is PostgreSQL running?)".to_owned()
    } else if text.contains("timed out") || text.contains("timeout") {
        "it did not answer in time".to_owned()
    } else if !cause.is_empty() {
        cause
    } else {
        e.to_string()
    };
    StoreError::Connect(format!("could not connect to the database server {target}: {why}"))
}

fn client_config(
    tls: Tls,
    root_cert: Option<&std::path::Path>,
    client_cert: Option<&ClientCert>,
) -> Result<rustls::ClientConfig> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| StoreError::Connect(format!("TLS could not be set up: {e}")))?;
    if tls != Tls::Verify {
        // libpq's `prefer` and `require` encrypt without checking the certificate.
        let builder = builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(Unchecked(provider)));
        return with_client_auth(builder, client_cert);
    }
    let mut roots = rustls::RootCertStore::empty();
    match root_cert {
        Some(path) => {
            let pem = std::fs::read(path).map_err(|e| {
                StoreError::Connect(format!(
                    "the root certificate {} could not be read: {e}",
                    path.display()
                ))
            })?;
            for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
                let cert = cert.map_err(|e| {
                    StoreError::Connect(format!("the root certificate {} is not PEM: {e}", path.display()))
                })?;
                roots.add(cert).map_err(|e| {
                    StoreError::Connect(format!("the root certificate {} was refused: {e}", path.display()))
                })?;
            }
        }
        None => roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned()),
    }
    with_client_auth(builder.with_root_certificates(roots), client_cert)
}

/// Finish the TLS setup with the client's certificate, when the URL names one.
fn with_client_auth(
    builder: rustls::ConfigBuilder<rustls::ClientConfig, rustls::client::WantsClientCert>,
    client_cert: Option<&ClientCert>,
) -> Result<rustls::ClientConfig> {
    let Some(c) = client_cert else {
        return Ok(builder.with_no_client_auth());
    };
    let unreadable = |what: &str, path: &std::path::Path, e: &dyn std::fmt::Display| {
        StoreError::Connect(format!("the client {what} {} could not be read: {e}", path.display()))
    };
    let pem = std::fs::read(&c.cert).map_err(|e| unreadable("certificate", &c.cert, &e))?;
    let chain = rustls_pemfile::certs(&mut pem.as_slice())
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| unreadable("certificate", &c.cert, &e))?;
    if chain.is_empty() {
        return Err(unreadable("certificate", &c.cert, &"no certificate in it"));
    }
    let pem = std::fs::read(&c.key).map_err(|e| unreadable("key", &c.key, &e))?;
    let key = rustls_pemfile::private_key(&mut pem.as_slice())
        .map_err(|e| unreadable("key", &c.key, &e))?
        .ok_or_else(|| unreadable("key", &c.key, &"no private key in it"))?;
    builder
        .with_client_auth_cert(chain, key)
        .map_err(|e| StoreError::Connect(format!("the client certificate was refused: {e}")))
}

/// Encrypts without checking who the server is (libpq's `prefer` and `require`):
/// the handshake's signatures are still checked.
#[derive(Debug)]
struct Unchecked(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _: &rustls::pki_types::CertificateDer<'_>,
        _: &[rustls::pki_types::CertificateDer<'_>],
        _: &rustls::pki_types::ServerName<'_>,
        _: &[u8],
        _: rustls::pki_types::UnixTime,
    ) -> std::result::Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_files_unless_a_server_url() {
        assert!(matches!(Location::parse("postgres://a@h/db"), Location::Server(_)));
        assert!(matches!(Location::parse("PostgreSQL://h/db"), Location::Server(_)));
        assert!(matches!(Location::parse("records.db"), Location::File(_)));
        assert!(matches!(Location::parse("./postgres/records.db"), Location::File(_)));
    }

    #[test]
    fn passwords_never_appear_in_messages() {
        assert_eq!(
            without_password("postgres://ann:secret@db.example/x"),
            "postgres://ann:***@db.example/x"
        );
        assert_eq!(
            without_password("postgres://ann@db.example/x"),
            "postgres://ann@db.example/x"
        );
    }

    #[test]
    fn the_server_target_carries_no_user_or_password() {
        for (url, want) in [
            ("postgres://ann:secret@db.example:5433/care", "db.example:5433/care"),
            (
                "postgres://ann@db.example/care?password=secret&sslmode=require",
                "db.example:5432/care",
            ),
            ("postgresql://db.example/care", "db.example:5432/care"),
        ] {
            let got = server_target(url);
            assert_eq!(got, want, "{url}");
            assert!(!got.contains("secret") && !got.contains("ann"), "{got}");
        }
    }

    #[test]
    fn sslmode_is_read_as_libpq_reads_it() {
        for (url, want) in [
            ("postgres://u@h/d", Tls::Prefer),
            ("postgres://u@h/d?sslmode=disable", Tls::Disable),
            ("postgres://u@h/d?sslmode=require", Tls::Require),
            ("postgres://u@h/d?sslmode=verify-full&sslrootcert=/x.pem", Tls::Verify),
            ("postgres://u@h/d?sslmode=verify-ca", Tls::Verify),
        ] {
            let p = parse(url).unwrap();
            assert_eq!(p.tls, want, "{url}");
            assert_eq!(p.target, "h:5432/d");
        }
        assert!(parse("postgres://u@h/d?sslmode=sometimes").is_err());
    }

    #[test]
    fn a_client_certificate_is_read_as_libpq_names_it() {
        let p = parse("postgres://anna@h/d?sslmode=verify-full&sslcert=/c/anna.crt&sslkey=/c/anna.key").unwrap();
        assert_eq!(
            p.client_cert,
            Some(ClientCert {
                cert: "/c/anna.crt".into(),
                key: "/c/anna.key".into()
            })
        );
        assert_eq!(p.target, "h:5432/d");
        assert!(parse("postgres://anna@h/d?sslcert=/c/anna.crt").is_err());
        assert!(parse("postgres://anna@h/d?sslmode=disable&sslcert=/c/a.crt&sslkey=/c/a.key").is_err());
        let missing = ClientCert {
            cert: "/nonexistent/anna.crt".into(),
            key: "/nonexistent/anna.key".into(),
        };
        let e = client_config(Tls::Require, None, Some(&missing))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("client certificate /nonexistent/anna.crt could not be read"),
            "{e}"
        );
        // A real pair (a throwaway test certificate) is taken for both kinds of TLS.

        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tls");
        let pair = ClientCert {
            cert: data.join("test-client.crt"),
            key: data.join("test-client.key"),
        };
        for tls in [Tls::Require, Tls::Verify] {
            let config = client_config(tls, None, Some(&pair)).unwrap();
            assert!(config.client_auth_cert_resolver.has_certs(), "{tls:?}");
        }
        // A key in place of the certificate is refused with the file's name.
        let swapped = ClientCert {
            cert: pair.key.clone(),
            key: pair.key.clone(),
        };
        let e = client_config(Tls::Require, None, Some(&swapped))
            .unwrap_err()
            .to_string();
        assert!(e.contains("test-client.key") && e.contains("no certificate"), "{e}");
    }
}
