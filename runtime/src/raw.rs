//! Calling any method by name, specified or not: [`RawRequest`] and
//! [`Client::call_raw`](crate::Client::call_raw).

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::batch::BatchMethod;
use crate::method::{ApiVersion, Method, UntypedError};

/// A call of a method chosen at run time, with its parameters as JSON: what
/// [`Client::call_raw`](crate::Client::call_raw) sends. It goes through the same policy
/// (pacing, retries, token refresh), authentication and error decoding as a typed call; its
/// result is the `result` JSON as the portal sent it, and its errors are the system errors
/// or [`UntypedError`] with the raw status, code and text.
///
/// Not known to be safe to repeat, so a call that may have run is never sent again
/// automatically; [`RawRequest::safe_to_repeat`] says otherwise for a method that is.
#[derive(Debug, Clone, PartialEq)]
pub struct RawRequest {
    method: String,
    safe_to_repeat: bool,
    api: ApiVersion,
    params: Map<String, Value>,
    /// What the parameters were when they were not a JSON object (`an array`, …).
    not_an_object: Option<&'static str>,
}

impl RawRequest {
    /// A call of `method` (its wire name, e.g. `user.current`) with `params`, a JSON object
    /// (`null` for none). Parameters that are not an object are refused when the call is sent
    /// (nothing leaves the machine).
    pub fn new(method: impl Into<String>, params: Value) -> RawRequest {
        let (params, not_an_object) = match params {
            Value::Object(params) => (params, None),
            Value::Null => (Map::new(), None),
            Value::Array(_) => (Map::new(), Some("an array")),
            Value::String(_) => (Map::new(), Some("a string")),
            Value::Number(_) => (Map::new(), Some("a number")),
            Value::Bool(_) => (Map::new(), Some("a boolean")),
        };
        RawRequest {
            method: method.into(),
            safe_to_repeat: false,
            api: ApiVersion::V2,
            params,
            not_an_object,
        }
    }

    /// Marks the method as safe to send twice (a read), so that a call that may have run is
    /// retried like a typed call of such a method.
    #[must_use]
    pub fn safe_to_repeat(mut self, safe: bool) -> Self {
        self.safe_to_repeat = safe;
        self
    }

    /// Sends the call to the REST version `api` (REST 3.0 methods live at `/rest/api/…`);
    /// [`ApiVersion::V2`] by default.
    #[must_use]
    pub fn with_api(mut self, api: ApiVersion) -> Self {
        self.api = api;
        self
    }

    /// The parameters as they will be sent.
    pub fn params(&self) -> &Map<String, Value> {
        &self.params
    }
}

/// The parameters, or an error that stops the call before it is sent when they were not an
/// object: the call must not go out without them.
impl Serialize for RawRequest {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.not_an_object {
            Some(what) => Err(serde::ser::Error::custom(format!(
                "the parameters of `{}` must be a JSON object, not {what}",
                self.method
            ))),
            None => self.params.serialize(serializer),
        }
    }
}

impl Method for RawRequest {
    /// Not the wire name: a raw request's is [`Method::name`].
    const NAME: &'static str = "";
    const SAFE_TO_REPEAT: bool = false;
    const BATCH: bool = true;
    type Output = Value;
    type Error = UntypedError;

    fn name(&self) -> &str {
        &self.method
    }

    fn safe_to_repeat(&self) -> bool {
        self.safe_to_repeat
    }

    fn api_version(&self) -> ApiVersion {
        self.api
    }
}

/// The portal decides: a method it refuses inside `batch` fails as that command's
/// `ERROR_BATCH_METHOD_NOT_ALLOWED`.
impl BatchMethod for RawRequest {}

#[cfg(all(test, feature = "mock"))]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::error::{Error, TransportErrorKind};
    use crate::mock::{MockAnswer, MockPortal};
    use crate::system_error::SystemError;
    use crate::test_method::NoSpecs;

    #[tokio::test]
    async fn any_method_is_called_by_name_with_the_policy_errors_and_budget_of_a_typed_call() {
        let portal = MockPortal::<NoSpecs>::start();
        let client = portal.client();
        let time =
            json!({"start": 1.0, "finish": 2.0, "operating": 0.5, "operating_reset_at": 30.0});
        portal.push(
            "user.current",
            MockAnswer::json(
                200,
                json!({"result": {"ID": "1", "NAME": "Ann"}, "time": time}),
            ),
        );
        let me = client
            .call_raw("user.current", json!({"EXTRA": [1, "a"]}))
            .await
            .expect("a success");
        assert_eq!(me.result, json!({"ID": "1", "NAME": "Ann"}));
        assert_eq!(portal.calls()[0].body, json!({"EXTRA": [1, "a"]}));
        assert_eq!(portal.calls()[0].method, "user.current");
        // Its budget is kept under its name, found in any case as the portal matches names.
        assert_eq!(
            client.operating("USER.current").and_then(|b| b.operating()),
            Some(0.5)
        );

        portal.push("user.current", MockAnswer::error(400, "", "Something odd"));
        let err = client
            .call_raw("user.current", Value::Null)
            .await
            .unwrap_err();
        let Error::Method(UntypedError(meta)) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(
            (meta.status(), meta.code(), meta.description()),
            (400, "", "Something odd")
        );

        portal.push(
            "user.current",
            MockAnswer::system_error("QUERY_LIMIT_EXCEEDED"),
        );
        let err = client
            .call_raw("user.current", json!({}))
            .await
            .unwrap_err();
        assert!(
            matches!(err, Error::System(SystemError::QueryLimitExceeded(_))),
            "{err:?}"
        );
    }

    #[tokio::test]
    async fn rest_v3_calls_go_to_rest_api_and_their_error_objects_decode() {
        let portal = MockPortal::<NoSpecs>::start();
        let v3 = || RawRequest::new("tasks.task.get", json!({"id": 5})).with_api(ApiVersion::V3);
        portal.push(
            "tasks.task.get",
            MockAnswer::json(200, json!({"result": {"item": {"id": 5}}})),
        );
        let task = portal.client().send(&v3()).await.expect("a success");
        assert_eq!(task.result, json!({"item": {"id": 5}}));
        let call = &portal.calls()[0];
        assert!(call.path.starts_with("/rest/api/1/"), "{}", call.path);
        assert!(call.path.ends_with("/tasks.task.get"), "{}", call.path);

        portal.push(
            "tasks.task.get",
            MockAnswer::json(
                400,
                json!({"error": {"code": "BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION",
                    "message": "Entity not found"}}),
            ),
        );
        let err = portal.oauth_client().send(&v3()).await.unwrap_err();
        let Error::Method(UntypedError(meta)) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(
            (meta.status(), meta.code(), meta.description()),
            (
                400,
                "BITRIX_REST_V3_EXCEPTION_ENTITYNOTFOUNDEXCEPTION",
                "Entity not found"
            )
        );
        assert_eq!(portal.calls()[1].path, "/rest/api/tasks.task.get");
        // A classic call of the same name stays at `/rest/`.
        portal.push(
            "tasks.task.get",
            MockAnswer::json(200, json!({"result": {}})),
        );
        let _ = portal
            .oauth_client()
            .send(&RawRequest::new("tasks.task.get", json!({"taskId": 5})))
            .await;
        assert_eq!(portal.calls()[2].path, "/rest/tasks.task.get");
    }

    #[tokio::test]
    async fn parameters_that_are_not_an_object_never_leave_the_machine() {
        let portal = MockPortal::<NoSpecs>::start();
        let err = portal
            .client()
            .call_raw("user.get", json!([1, 2]))
            .await
            .unwrap_err();
        let Error::Transport(transport) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(transport.kind(), TransportErrorKind::Other);
        assert!(
            err.to_string()
                .contains("must be a JSON object, not an array"),
            "{err}"
        );
        assert!(!err.may_have_run());
        assert!(portal.calls().is_empty());
    }

    #[tokio::test]
    async fn raw_calls_run_in_batch() {
        let portal = MockPortal::<NoSpecs>::start();
        portal.push(
            "user.current",
            MockAnswer::json(200, json!({"result": {"ID": "7"}})),
        );
        let client = portal.client();
        let mut batch = client.batch();
        let me = batch.add(RawRequest::new("user.current", json!({})));
        let results = batch.send().await;
        let me = results.get(&me).expect("ran").expect("a success");
        assert_eq!(me.result, json!({"ID": "7"}));
    }
}

/// The call's deadline and the retry notices, seen through raw calls to a scripted portal.
#[cfg(all(test, feature = "mock"))]
mod deadline_tests {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use serde_json::json;

    use crate::error::{Error, TransportErrorKind};
    use crate::mock::{MockAnswer, MockPortal};
    use crate::policy::{Backoff, Policy};
    use crate::retry::{RetryNotice, RetryReason};
    use crate::system_error::SystemError;
    use crate::test_method::NoSpecs;

    #[tokio::test]
    async fn a_refusal_past_the_deadline_stays_the_portal_s_answer_and_each_retry_is_told() {
        let portal = MockPortal::<NoSpecs>::start();
        portal.set_default("user.get", MockAnswer::system_error("QUERY_LIMIT_EXCEEDED"));
        let seen: Arc<Mutex<Vec<RetryNotice>>> = Arc::default();
        let sink = Arc::clone(&seen);
        // Waits fall in [200, 400] ms with jitter: five of them cannot fit in the 1 s deadline,
        // so the retries stop early whatever the machine's speed.
        let step = Duration::from_millis(400);
        let client = portal
            .client_builder()
            .policy(
                Policy::none()
                    .query_limit(Backoff::new(5, step, step))
                    .deadline(Some(Duration::from_secs(1))),
            )
            .on_retry(move |notice| sink.lock().unwrap().push(notice.clone()))
            .build()
            .unwrap();
        let err = client.call_raw("user.get", json!({})).await.unwrap_err();
        assert!(
            matches!(err, Error::System(SystemError::QueryLimitExceeded(_))),
            "{err:?}"
        );
        assert!(!err.may_have_run());
        let seen = seen.lock().unwrap();
        assert!(!seen.is_empty() && seen.len() < 5, "{seen:?}");
        for (i, notice) in seen.iter().enumerate() {
            assert_eq!(notice.reason, RetryReason::QueryLimitExceeded);
            assert_eq!((notice.retry, notice.retries), (i as u32 + 1, 5));
            assert_eq!(notice.method, "user.get");
            let shown = notice.to_string();
            assert!(
                shown.starts_with("user.get: QUERY_LIMIT_EXCEEDED ("),
                "{shown}"
            );
            assert!(
                shown.contains(&format!("retry {} of 5 in 0.", i + 1)),
                "{shown}"
            );
        }
        assert_eq!(portal.calls().len(), seen.len() + 1);
    }

    #[tokio::test]
    async fn an_attempt_without_an_answer_at_the_deadline_may_have_run() {
        let portal = MockPortal::<NoSpecs>::start();
        portal.push("user.get", MockAnswer::Stall(Duration::from_secs(3)));
        let client = portal
            .client_builder()
            .policy(Policy::none().deadline(Some(Duration::from_millis(300))))
            .build()
            .unwrap();
        let err = client.call_raw("user.get", json!({})).await.unwrap_err();
        let Error::Transport(transport) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(transport.kind(), TransportErrorKind::Timeout);
        assert!(err.may_have_run());
        assert!(err.to_string().contains("deadline of 0.3 s"), "{err}");
    }
}
