use axum::http::StatusCode;

/// An error answer on the wire: HTTP status, `__type` and `message`.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) code: &'static str,
    pub(crate) message: String,
    /// `ResourceId` member of the resource errors that model it.
    pub(crate) resource_id: Option<String>,
    /// `reason` member of `OperationNotSupportedException`.
    pub(crate) reason: Option<String>,
}

/// Placeholder code for a broken model constraint; the dispatcher turns it into
/// `InvalidParameterValuesException` where the operation models that shape and
/// `ValidationException` (what AWS JSON services send for constraint failures)
/// where it does not, so the SDK never sees a shape the operation cannot have.
pub(crate) const INVALID: &str = "Invalid";

/// What the WorkSpaces API calls throttling and a server error; the tagging
/// and Price List APIs have their own names for them
/// (`ops::Operation::error_code`).
pub(crate) const THROTTLING: &str = "ThrottlingException";
pub(crate) const INTERNAL: &str = "InternalServerException";

impl ApiError {
    fn new(code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code,
            message: message.into(),
            resource_id: None,
            reason: None,
        }
    }

    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::new(INVALID, message)
    }

    pub(crate) fn not_found(resource_id: &str, what: &str) -> Self {
        let mut e = Self::new(
            "ResourceNotFoundException",
            format!("{what} {resource_id} does not exist."),
        );
        e.resource_id = Some(resource_id.to_owned());
        e
    }

    pub(crate) fn unavailable(resource_id: &str, message: impl Into<String>) -> Self {
        let mut e = Self::new("ResourceUnavailableException", message);
        e.resource_id = Some(resource_id.to_owned());
        e
    }

    pub(crate) fn state(message: impl Into<String>) -> Self {
        Self::new("InvalidResourceStateException", message)
    }

    pub(crate) fn associated(message: impl Into<String>) -> Self {
        Self::new("ResourceAssociatedException", message)
    }

    pub(crate) fn exists(message: impl Into<String>) -> Self {
        Self::new("ResourceAlreadyExistsException", message)
    }

    pub(crate) fn limit(message: impl Into<String>) -> Self {
        Self::new("ResourceLimitExceededException", message)
    }

    pub(crate) fn in_progress(message: impl Into<String>) -> Self {
        Self::new("OperationInProgressException", message)
    }

    pub(crate) fn unsupported_config(message: impl Into<String>) -> Self {
        Self::new("UnsupportedWorkspaceConfigurationException", message)
    }

    pub(crate) fn access_denied(message: impl Into<String>) -> Self {
        Self::new("AccessDeniedException", message)
    }

    pub(crate) fn not_supported(reason: impl Into<String>) -> Self {
        let reason = reason.into();
        let mut e = Self::new("OperationNotSupportedException", reason.clone());
        e.reason = Some(reason);
        e
    }

    /// A tagging API `PaginationToken` older than AWS keeps them (15 minutes).
    pub(crate) fn pagination_token_expired(message: impl Into<String>) -> Self {
        Self::new("PaginationTokenExpiredException", message)
    }

    /// The Price List API's answer for a service code or attribute name it
    /// does not price.
    pub(crate) fn price_list_not_found(message: impl Into<String>) -> Self {
        Self::new("NotFoundException", message)
    }

    /// A Price List API `NextToken` that no page of this request returned.
    pub(crate) fn invalid_next_token(message: impl Into<String>) -> Self {
        Self::new("InvalidNextTokenException", message)
    }

    pub(crate) fn serialization(message: impl Into<String>) -> Self {
        Self::new("SerializationException", message)
    }

    pub(crate) fn unknown_operation(message: impl Into<String>) -> Self {
        Self::new("UnknownOperationException", message)
    }

    pub(crate) fn throttled() -> Self {
        Self::new(THROTTLING, "Rate exceeded")
    }

    pub(crate) fn internal(message: impl Into<String>) -> Self {
        let mut e = Self::new(INTERNAL, message);
        e.status = StatusCode::INTERNAL_SERVER_ERROR;
        e
    }

    pub(crate) fn service_unavailable() -> Self {
        let mut e = Self::new(
            "ServiceUnavailable",
            "The service is unavailable. Please try again later.",
        );
        e.status = StatusCode::SERVICE_UNAVAILABLE;
        e
    }

    /// A control request from a web page: browsers send `Origin` with every
    /// POST, so its presence marks one.
    pub(crate) fn cross_site() -> Self {
        let mut e = Self::new(
            "CrossSiteRequestRefused",
            "The simulator's control endpoints refuse requests that carry an Origin header, \
             as web browsers send: no web page may change the account. Send the request \
             from a program, without Origin.",
        );
        e.status = StatusCode::FORBIDDEN;
        e
    }

    /// A control request whose `Content-Type` (`None`: none sent) is not
    /// JSON.
    pub(crate) fn not_json(content_type: Option<&str>) -> Self {
        let found = content_type.map_or_else(|| "none".to_owned(), |c| format!("{c:?}"));
        let mut e = Self::new(
            "UnsupportedMediaType",
            format!(
                "The simulator's control endpoints accept only Content-Type: application/json \
                 (which a web page cannot send without a CORS preflight); this request's is {found}."
            ),
        );
        e.status = StatusCode::UNSUPPORTED_MEDIA_TYPE;
        e
    }

    pub(crate) fn not_found_path(path: &str) -> Self {
        let mut e = Self::new("NotFound", format!("no simulator endpoint at {path}"));
        e.status = StatusCode::NOT_FOUND;
        e
    }

    /// The JSON body AWS sends for an error (notes §2).
    pub(crate) fn body(&self) -> serde_json::Value {
        let mut body = serde_json::json!({ "__type": self.code, "message": self.message });
        if let Some(id) = &self.resource_id {
            body["ResourceId"] = id.clone().into();
        }
        if let Some(reason) = &self.reason {
            body["reason"] = reason.clone().into();
        }
        body
    }
}

pub(crate) type ApiResult<T> = Result<T, ApiError>;
