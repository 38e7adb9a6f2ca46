//! Checks from the internet: a site's certificate expiry read from a TLS
//! handshake, and a domain's expiry from RDAP. Both have timeouts and say
//! clearly when the network is down or the answer is not what was expected.

use std::io::Write;
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use serde::Serialize;
use ts_rs::TS;

use noren_base::error::{Error, Result};

/// What a certificate check found.
#[derive(Clone, Debug, PartialEq, Serialize, TS)]
#[ts(export)]
pub struct CertInfo {
    pub host: String,
    pub port: u16,
    pub not_after: DateTime<Utc>,
    /// Whether a browser would trust it (public CA, right name, not expired).
    pub trusted: bool,
    /// Why not, when not trusted.
    pub problem: Option<String>,
}

/// Host and port of an `https://` address (or a bare host name).
pub fn https_target(url: &str) -> Result<(String, u16)> {
    let v = url.trim();
    if v.is_empty() {
        return Err(Error::invalid("url", "enter the site's address (https://…)"));
    }
    let candidate = if v.contains("://") { v.to_string() } else { format!("https://{v}") };
    let parsed = url::Url::parse(&candidate).map_err(|e| Error::invalid("url", format!("not a valid web address ({e})")))?;
    match parsed.scheme() {
        "https" => {}
        "http" => return Err(Error::invalid("url", "an http:// address has no certificate: check the https:// address of the site")),
        other => return Err(Error::invalid("url", format!("{other}:// is not a web address"))),
    }
    let host = parsed.host_str().ok_or_else(|| Error::invalid("url", "has no host name"))?;
    let host = host.trim_start_matches('[').trim_end_matches(']').to_string();
    Ok((host, parsed.port_or_known_default().unwrap_or(443)))
}

/// Accepts any certificate (so an expired or self-signed one can still be
/// read), remembers the leaf and what the standard verifier thought of it.
#[derive(Debug)]
struct Recorder {
    inner: Arc<rustls::client::WebPkiServerVerifier>,
    leaf: Mutex<Option<Vec<u8>>>,
    problem: Mutex<Option<String>>,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let verdict = self.inner.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now);
        if let Ok(mut l) = self.leaf.lock() {
            *l = Some(end_entity.as_ref().to_vec());
        }
        if let (Err(e), Ok(mut p)) = (verdict, self.problem.lock()) {
            *p = Some(trust_problem(&e));
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.inner.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.inner.supported_verify_schemes()
    }
}

/// Why a browser would not trust the certificate, in words.
fn trust_problem(e: &rustls::Error) -> String {
    use rustls::CertificateError as C;
    match e {
        rustls::Error::InvalidCertificate(c) => match c {
            C::Expired | C::ExpiredContext { .. } => "the certificate has expired".into(),
            C::NotValidYet | C::NotValidYetContext { .. } => "the certificate is not valid yet".into(),
            C::NotValidForName | C::NotValidForNameContext { .. } => "the certificate was issued for another name".into(),
            C::UnknownIssuer => "not issued by a trusted authority (self-signed or private CA)".into(),
            C::Revoked => "the certificate was revoked".into(),
            C::Other(o) if o.to_string().contains("CaUsedAsEndEntity") => "self-signed (not issued by a trusted authority)".into(),
            other => format!("not trusted ({other:?})"),
        },
        other => format!("not trusted ({other})"),
    }
}

/// Reads the certificate of `url` (https://host[:port]/…) with a TLS handshake.
pub fn check_certificate(url: &str, timeout: Duration) -> Result<CertInfo> {
    let (host, port) = https_target(url)?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    let inner = rustls::client::WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .build()
        .map_err(|e| Error::Network(format!("TLS set-up failed: {e}")))?;
    let recorder = Arc::new(Recorder { inner, leaf: Mutex::new(None), problem: Mutex::new(None) });
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Network(format!("TLS set-up failed: {e}")))?
        .dangerous()
        .with_custom_certificate_verifier(recorder.clone())
        .with_no_client_auth();
    let name = ServerName::try_from(host.clone()).map_err(|_| Error::invalid("url", format!("{host:?} is not a host name")))?;
    let mut conn = rustls::ClientConnection::new(Arc::new(config), name).map_err(|e| Error::Network(format!("TLS set-up failed: {e}")))?;

    let where_ = format!("{host}:{port}");
    let addrs: Vec<_> = (host.as_str(), port)
        .to_socket_addrs()
        .map_err(|e| Error::Network(format!("cannot find {host} (offline, or a typo in the address?): {e}")))?
        .collect();
    let mut last = None;
    let mut sock = None;
    for a in &addrs {
        match TcpStream::connect_timeout(a, timeout) {
            Ok(s) => {
                sock = Some(s);
                break;
            }
            Err(e) => last = Some(e),
        }
    }
    let mut sock = sock.ok_or_else(|| {
        Error::Network(format!("cannot reach {where_}: {}", last.map(|e| e.to_string()).unwrap_or_else(|| "no address".into())))
    })?;
    let io = |e: std::io::Error| Error::Network(format!("{where_}: {e}"));
    sock.set_read_timeout(Some(timeout)).map_err(io)?;
    sock.set_write_timeout(Some(timeout)).map_err(io)?;
    let deadline = std::time::Instant::now() + timeout;
    while conn.is_handshaking() {
        if std::time::Instant::now() > deadline {
            return Err(Error::Network(format!("{where_} did not finish the TLS handshake in {} s", timeout.as_secs())));
        }
        if let Err(e) = conn.complete_io(&mut sock) {
            let got_cert = recorder.leaf.lock().map(|l| l.is_some()).unwrap_or(false);
            if got_cert {
                break;
            }
            return Err(match e.kind() {
                std::io::ErrorKind::InvalidData => {
                    Error::NotTls(format!("{where_} did not answer with TLS (a plain http:// server?): {e}"))
                }
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => {
                    Error::Network(format!("{where_} did not answer in {} s", timeout.as_secs()))
                }
                std::io::ErrorKind::UnexpectedEof | std::io::ErrorKind::ConnectionReset => {
                    Error::NotTls(format!("{where_} closed the connection during the TLS handshake"))
                }
                _ => Error::Network(format!("{where_}: {e}")),
            });
        }
    }
    conn.send_close_notify();
    let _ = conn.complete_io(&mut sock);
    let _ = sock.flush();
    let leaf = recorder.leaf.lock().ok().and_then(|l| l.clone()).ok_or_else(|| Error::NotTls(format!("{where_} sent no certificate")))?;
    let not_after = cert_not_after(&leaf).ok_or_else(|| Error::NotTls(format!("{where_} sent a certificate Noren cannot read")))?;
    let problem = recorder.problem.lock().ok().and_then(|p| p.clone());
    Ok(CertInfo { host, port, not_after, trusted: problem.is_none(), problem })
}

/// One DER element: (tag, contents, rest).
fn der(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (first as usize, rest)
    } else {
        let n = (first & 0x7f) as usize;
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n].iter().fold(0usize, |acc, b| (acc << 8) | *b as usize);
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

fn der_time(tag: u8, body: &[u8]) -> Option<DateTime<Utc>> {
    let s = std::str::from_utf8(body).ok()?;
    let s = s.strip_suffix('Z')?;
    let digits = |r: std::ops::Range<usize>| -> Option<u32> { s.get(r)?.parse().ok() };
    let (year, rest_at) = match tag {
        0x17 => {
            let yy = digits(0..2)? as i32;
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, 2)
        }
        0x18 => (digits(0..4)? as i32, 4),
        _ => return None,
    };
    if s.len() != rest_at + 10 {
        return None;
    }
    let p = |i: usize| digits(rest_at + i..rest_at + i + 2);
    Utc.with_ymd_and_hms(year, p(0)?, p(2)?, p(4)?, p(6)?, p(8)?).single()
}

/// The notAfter of an X.509 certificate (DER).
pub fn cert_not_after(cert: &[u8]) -> Option<DateTime<Utc>> {
    let (0x30, cert, _) = der(cert)? else { return None };
    let (0x30, tbs, _) = der(cert)? else { return None };
    let mut rest = tbs;
    let (tag, _, r) = der(rest)?;
    // Optional [0] version, then serial number, signature algorithm, issuer.
    rest = if tag == 0xa0 { r } else { rest };
    for _ in 0..3 {
        rest = der(rest)?.2;
    }
    let (0x30, validity, _) = der(rest)? else { return None };
    let (_, _, after_before) = der(validity)?;
    let (tag, body, _) = der(after_before)?;
    der_time(tag, body)
}

/// The RDAP server used for domains (IANA's bootstrap redirector by default).
pub const RDAP_BASE: &str = "https://rdap.org/domain/";

/// Top-level domains whose registry runs no RDAP service.
const NO_RDAP_TLDS: [&str; 1] = ["jp"];

/// The registration expiry of `domain` from RDAP (`base` + domain).
pub fn rdap_expiry(domain: &str, base: &str, timeout: Duration) -> Result<NaiveDate> {
    let d = domain.trim().trim_end_matches('.').to_ascii_lowercase();
    let d = d.strip_prefix("https://").or_else(|| d.strip_prefix("http://")).unwrap_or(&d);
    let d = d.split('/').next().unwrap_or("").to_string();
    if d.is_empty() || !d.contains('.') || d.chars().any(|c| !(c.is_ascii_alphanumeric() || c == '.' || c == '-')) {
        return Err(Error::invalid("domain", format!("{domain:?} is not a domain name (e.g. example.com)")));
    }
    let tld = d.rsplit('.').next().unwrap_or("");
    if NO_RDAP_TLDS.contains(&tld) {
        return Err(Error::NoRdap(format!(
            ".{tld} domains have no RDAP service: enter the expiry date from the registrar's control panel (e.g. お名前.com, JPRS)"
        )));
    }
    let url = format!("{base}{d}");
    let body = crate::feed::fetch(&url, crate::feed::FetchOptions { timeout, max_bytes: 1024 * 1024, ..Default::default() })?;
    let json: serde_json::Value = serde_json::from_slice(&body)
        .map_err(|_| Error::NoRdap(format!("{url} did not answer with RDAP data: enter the expiry date yourself")))?;
    let events = json.get("events").and_then(|e| e.as_array()).cloned().unwrap_or_default();
    for ev in events {
        if ev.get("eventAction").and_then(|a| a.as_str()) == Some("expiration") {
            if let Some(date) = ev.get("eventDate").and_then(|d| d.as_str()) {
                if let Ok(t) = DateTime::parse_from_rfc3339(date) {
                    return Ok(t.with_timezone(&Utc).date_naive());
                }
            }
        }
    }
    Err(Error::NoRdap(format!("the registry's RDAP answer for {d} has no expiry date: enter it yourself")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets() {
        assert_eq!(https_target("example.jp").unwrap(), ("example.jp".into(), 443));
        assert_eq!(https_target("https://127.0.0.1:8443/x").unwrap(), ("127.0.0.1".into(), 8443));
        assert!(https_target("http://example.jp").unwrap_err().to_string().contains("https://"));
        assert!(https_target("ftp://example.jp").is_err());
        assert!(https_target("").is_err());
    }

    #[test]
    fn der_times_and_garbage() {
        assert_eq!(der_time(0x17, b"270331120000Z"), Utc.with_ymd_and_hms(2027, 3, 31, 12, 0, 0).single());
        assert_eq!(der_time(0x18, b"20500101000000Z"), Utc.with_ymd_and_hms(2050, 1, 1, 0, 0, 0).single());
        assert_eq!(der_time(0x17, b"991231235959Z"), Utc.with_ymd_and_hms(1999, 12, 31, 23, 59, 59).single());
        assert_eq!(der_time(0x17, b"2703311200Z"), None);
        assert_eq!(der_time(0x17, b"271331120000Z"), None);
        for junk in [&b""[..], b"\x30", b"\x30\x84\xff\xff\xff\xff", b"\x30\x03\x30\x01\x00", b"\x30\x80"] {
            assert_eq!(cert_not_after(junk), None);
        }
    }

    #[test]
    fn jp_has_no_rdap_and_bad_names_are_refused() {
        let e = rdap_expiry("salon-example.jp", "http://127.0.0.1:9/", Duration::from_secs(1)).unwrap_err();
        assert_eq!(e.code(), "no_rdap");
        assert!(e.to_string().contains("enter the expiry date"));
        assert_eq!(rdap_expiry("not a domain", RDAP_BASE, Duration::from_secs(1)).unwrap_err().code(), "invalid_input");
    }
}
