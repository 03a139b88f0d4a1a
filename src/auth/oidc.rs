//! The campus provider, through the `openidconnect` crate: discovery (read once and
//! cached), the authorization URL, the code exchange, ID token verification and userinfo.
//! The JWKS is cached with the discovery document and fetched again only when a token
//! names a key we do not know (key rotation), at most once a minute.

use std::sync::Arc;
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreClaimName, CoreClaimType, CoreClientAuthMethod,
    CoreErrorResponseType, CoreGenderClaim, CoreGrantType, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm, CoreJwsSigningAlgorithm, CoreResponseMode, CoreResponseType, CoreRevocableToken,
    CoreRevocationErrorResponse, CoreSubjectIdentifierType, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AccessTokenHash, AdditionalClaims, AdditionalProviderMetadata, AuthorizationCode, ClaimsVerificationError, Client,
    ClientId, ClientSecret, CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet,
    IdTokenFields, IssuerUrl, JsonWebKeySet, Nonce, OAuth2TokenResponse, PkceCodeChallenge, PkceCodeVerifier,
    ProviderMetadata, RedirectUrl, Scope, SignatureVerificationError, StandardErrorResponse, StandardTokenResponse,
    TokenResponse,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tokio::sync::RwLock;
use url::Url;

use super::login::{CodeReceived, Refusal};
use crate::core::Secret;

/// Every claim the provider sends beyond the standard ones: the names of the role and
/// group claims are configured, so they are kept as a map.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ExtraClaims {
    #[serde(flatten)]
    pub claims: Map<String, Value>,
}
impl AdditionalClaims for ExtraClaims {}

/// RP-initiated logout is not in the core metadata.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct LogoutMetadata {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_session_endpoint: Option<String>,
}
impl AdditionalProviderMetadata for LogoutMetadata {}

pub type Metadata = ProviderMetadata<
    LogoutMetadata,
    CoreAuthDisplay,
    CoreClientAuthMethod,
    CoreClaimName,
    CoreClaimType,
    CoreGrantType,
    CoreJweContentEncryptionAlgorithm,
    CoreJweKeyManagementAlgorithm,
    CoreJsonWebKey,
    CoreResponseMode,
    CoreResponseType,
    CoreSubjectIdentifierType,
>;

type Fields = IdTokenFields<
    ExtraClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type Tokens = StandardTokenResponse<Fields, CoreTokenType>;
type OidcClient = Client<
    ExtraClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// How far the provider's clock may be from ours.
const CLOCK_SKEW: chrono::Duration = chrono::Duration::seconds(120);
/// An ID token older than this at arrival is refused (the login itself lasts minutes).
const MAX_TOKEN_AGE: chrono::Duration = chrono::Duration::minutes(15);
const JWKS_REFETCH_INTERVAL: Duration = Duration::from_secs(60);

/// Who the provider says signed in, with all its claims (ID token and userinfo merged).
#[derive(Debug, Clone)]
pub struct Identity {
    pub issuer: String,
    pub subject: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub claims: Map<String, Value>,
    /// Kept for the logout hint.
    pub id_token: Secret,
}

#[derive(Clone)]
pub struct Provider {
    issuer: IssuerUrl,
    client_id: ClientId,
    client_secret: Option<ClientSecret>,
    redirect: RedirectUrl,
    scopes: Vec<String>,
    http: reqwest::Client,
    cache: Arc<RwLock<Cache>>,
}

#[derive(Default)]
struct Cache {
    metadata: Option<Metadata>,
    /// When an unknown `kid` last made us fetch the JWKS again.
    jwks_refetched: Option<Instant>,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider")
            .field("issuer", &self.issuer.as_str())
            .field("client_id", &self.client_id.as_str())
            .finish_non_exhaustive()
    }
}

impl Provider {
    pub fn new(
        issuer: &Url,
        client_id: &str,
        client_secret: Option<&str>,
        public_url: &Url,
        scopes: &[String],
    ) -> Result<Self, String> {
        // The issuer must match the provider's own string byte for byte: no trailing slash added.
        let issuer_text = issuer.as_str().trim_end_matches('/').to_owned();
        let redirect = format!("{}/auth/callback", public_url.as_str().trim_end_matches('/'));
        let http = reqwest::Client::builder()
            // The OAuth 2.0 security BCP: never follow redirects from the provider's endpoints.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| format!("HTTP client: {e}"))?;
        Ok(Provider {
            issuer: IssuerUrl::new(issuer_text).map_err(|e| format!("issuer: {e}"))?,
            client_id: ClientId::new(client_id.to_owned()),
            client_secret: client_secret.map(|s| ClientSecret::new(s.to_owned())),
            redirect: RedirectUrl::new(redirect).map_err(|e| format!("redirect URI: {e}"))?,
            scopes: scopes.to_vec(),
            http,
            cache: Arc::new(RwLock::new(Cache::default())),
        })
    }

    pub fn issuer(&self) -> &str {
        self.issuer.as_str()
    }

    /// The discovery document (with its JWKS), fetched on first use and cached.
    pub async fn metadata(&self) -> Result<Metadata, String> {
        if let Some(m) = &self.cache.read().await.metadata {
            return Ok(m.clone());
        }
        let mut cache = self.cache.write().await;
        if let Some(m) = &cache.metadata {
            return Ok(m.clone());
        }
        let m = Metadata::discover_async(self.issuer.clone(), &self.http)
            .await
            .map_err(|e| format!("discovery at {}: {}", self.issuer.as_str(), error_chain(&e)))?;
        cache.metadata = Some(m.clone());
        Ok(m)
    }

    /// Fetches the JWKS again (a token named a key we did not know), unless that was done
    /// less than a minute ago: a stream of forged `kid`s must not hammer the provider.
    async fn refresh_jwks(&self) -> Result<Option<Metadata>, String> {
        let mut cache = self.cache.write().await;
        if cache.jwks_refetched.is_some_and(|t| t.elapsed() < JWKS_REFETCH_INTERVAL) {
            return Ok(None);
        }
        let Some(mut m) = cache.metadata.clone() else { return Ok(None) };
        let jwks = JsonWebKeySet::fetch_async(m.jwks_uri(), &self.http)
            .await
            .map_err(|e| format!("JWKS: {}", error_chain(&e)))?;
        m = m.set_jwks(jwks);
        cache.metadata = Some(m.clone());
        cache.jwks_refetched = Some(Instant::now());
        tracing::info!(issuer = self.issuer.as_str(), "signing keys fetched again (key rotation)");
        Ok(Some(m))
    }

    fn client(&self, m: &Metadata) -> OidcClient {
        OidcClient::from_provider_metadata(m.clone(), self.client_id.clone(), self.client_secret.clone())
            .set_redirect_uri(self.redirect.clone())
    }

    /// Where to send the browser: code flow with PKCE (S256), our state and nonce.
    pub async fn authorize_url(&self, state: &str, nonce: &str, pkce_verifier: &str) -> Result<Url, String> {
        let m = self.metadata().await?;
        let challenge = PkceCodeChallenge::from_code_verifier_sha256(&PkceCodeVerifier::new(pkce_verifier.to_owned()));
        let (state, nonce) = (state.to_owned(), nonce.to_owned());
        let client = self.client(&m);
        let mut request = client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            move || CsrfToken::new(state),
            move || Nonce::new(nonce),
        );
        for scope in self.scopes.iter().filter(|s| *s != "openid") {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, _, _) = request.set_pkce_challenge(challenge).url();
        Ok(url)
    }

    /// Exchanges the code and verifies everything the provider returned.
    pub async fn complete(&self, received: &CodeReceived) -> Result<Identity, Refusal> {
        let m = self.metadata().await.map_err(Refusal::Exchange)?;
        let client = self.client(&m);
        let tokens: Tokens = client
            .exchange_code(AuthorizationCode::new(received.code.expose().to_owned()))
            .map_err(|e| Refusal::Exchange(e.to_string()))?
            .set_pkce_verifier(PkceCodeVerifier::new(received.pkce_verifier.expose().to_owned()))
            .request_async(&self.http)
            .await
            .map_err(|e| Refusal::Exchange(error_chain(&e)))?;
        let id_token =
            tokens.id_token().ok_or_else(|| Refusal::IdToken("the token response has no id_token".into()))?;
        let nonce = Nonce::new(received.nonce.clone());

        let verify = |client: &OidcClient| {
            // The provider stamped the token with its own (real) clock.
            let now = crate::core::clock::wall_clock();
            let verifier = client
                .id_token_verifier()
                .set_allowed_algs([
                    CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
                    CoreJwsSigningAlgorithm::RsaSsaPssSha256,
                    CoreJwsSigningAlgorithm::EcdsaP256Sha256,
                ])
                // `exp` may be up to the skew in the past (clocks differ).
                .set_time_fn(move || now - CLOCK_SKEW)
                .set_issue_time_verifier_fn(move |iat| {
                    if iat > now + CLOCK_SKEW {
                        Err(format!("issued in the future ({iat})"))
                    } else if iat < now - MAX_TOKEN_AGE {
                        Err(format!("issued too long ago ({iat})"))
                    } else {
                        Ok(())
                    }
                });
            let claims = id_token.claims(&verifier, &nonce).cloned();
            let hash_ok = claims.as_ref().ok().and_then(|c| c.access_token_hash().cloned()).map(|expected| {
                let alg = id_token.signing_alg().map_err(|e| e.to_string())?;
                let key = id_token.signing_key(&verifier).map_err(|e| e.to_string())?;
                let actual = AccessTokenHash::from_token(tokens.access_token(), alg, key).map_err(|e| e.to_string())?;
                if actual == expected {
                    Ok(())
                } else {
                    Err("at_hash does not match the access token".to_owned())
                }
            });
            (claims, hash_ok)
        };
        let (mut claims, mut hash_ok) = verify(&client);
        if matches!(
            claims,
            Err(ClaimsVerificationError::SignatureVerification(SignatureVerificationError::NoMatchingKey))
        ) {
            if let Some(m) = self.refresh_jwks().await.map_err(Refusal::IdToken)? {
                (claims, hash_ok) = verify(&self.client(&m));
            }
        }
        let claims = claims.map_err(|e| Refusal::IdToken(e.to_string()))?;
        if let Some(Err(e)) = hash_ok {
            return Err(Refusal::IdToken(e));
        }

        let mut merged = claims.additional_claims().claims.clone();
        let mut email = claims.email().map(|e| e.as_str().to_owned());
        let mut name = claims.name().and_then(|n| n.get(None)).map(|n| n.as_str().to_owned());
        // Userinfo completes (never overrides) the ID token; its subject must be the same
        // (the crate checks it). Where the provider offers it, it is part of the answer:
        // failing, the sign-in fails, rather than go on with what may be half the claims.
        if client.user_info_url().is_some() {
            let info = client
                .user_info(tokens.access_token().clone(), Some(claims.subject().clone()))
                .map_err(|e| Refusal::Profile(e.to_string()))?
                .request_async::<ExtraClaims, _, CoreGenderClaim>(&self.http)
                .await
                .map_err(|e| Refusal::Profile(error_chain(&e)))?;
            for (k, v) in &info.additional_claims().claims {
                merged.entry(k.clone()).or_insert_with(|| v.clone());
            }
            email = email.or_else(|| info.email().map(|e| e.as_str().to_owned()));
            name = name.or_else(|| info.name().and_then(|n| n.get(None)).map(|n| n.as_str().to_owned()));
        }
        Ok(Identity {
            issuer: self.issuer.as_str().to_owned(),
            subject: claims.subject().as_str().to_owned(),
            email,
            name,
            claims: merged,
            id_token: Secret::new(id_token.to_string()),
        })
    }

    /// The provider's logout endpoint with our hint and return address, if it has one.
    pub async fn end_session_url(&self, id_token_hint: Option<&str>, post_logout: &str) -> Option<Url> {
        let m = self.metadata().await.ok()?;
        let mut url = Url::parse(m.additional_metadata().end_session_endpoint.as_deref()?).ok()?;
        {
            let mut q = url.query_pairs_mut();
            q.append_pair("client_id", self.client_id.as_str());
            q.append_pair("post_logout_redirect_uri", post_logout);
            if let Some(hint) = id_token_hint {
                q.append_pair("id_token_hint", hint);
            }
        }
        Some(url)
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(inner) = source {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        source = inner.source();
    }
    s
}
