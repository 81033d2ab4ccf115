//! [`Call`]: one prepared call, sent when awaited.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use super::Client;
use crate::error::Error;
use crate::method::{Method, Response};

/// One prepared call: the client and the request. Await it (or call [`Call::send`]) to send.
///
/// Each generated method wraps it in a call type of its own that adds the setters of its
/// optional parameters, e.g. `client.log().blogpost().share(217, dest).user_id(1).await`.
pub struct Call<'a, M: Method> {
    client: &'a Client,
    request: M,
}

impl<'a, M: Method> Call<'a, M> {
    pub(super) fn new(client: &'a Client, request: M) -> Self {
        Call { client, request }
    }

    /// The request as it will be sent.
    pub fn request(&self) -> &M {
        &self.request
    }

    /// The request, to change in place (what the generated setters do: no closure per
    /// setter to compile).
    pub fn request_mut(&mut self) -> &mut M {
        &mut self.request
    }

    /// The request, without sending it.
    pub fn into_request(self) -> M {
        self.request
    }

    /// Changes the request.
    #[must_use]
    pub fn map_request(self, f: impl FnOnce(M) -> M) -> Self {
        Call {
            client: self.client,
            request: f(self.request),
        }
    }

    /// Sends the request and decodes the answer.
    pub async fn send(self) -> Result<Response<M::Output>, Error<M::Error>> {
        self.client.send(&self.request).await
    }

    /// A pager over every page of a list method, from this call's `start` on.
    pub fn pages(self) -> crate::Pager<'a, M>
    where
        M: crate::Paged,
    {
        self.client.pages(self.request)
    }

    /// Every record this call's request matches, as a stream:
    /// [`Client::read_all`](crate::Client::read_all).
    pub fn read_all(self) -> crate::ReadAll<'a, M>
    where
        M: crate::ListMethod,
    {
        self.client.read_all(self.request)
    }
}

impl<'a, M: Method> IntoFuture for Call<'a, M> {
    type Output = Result<Response<M::Output>, Error<M::Error>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

impl<M: Method + fmt::Debug> fmt::Debug for Call<'_, M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Call")
            .field("method", &self.request.name())
            .field("request", &self.request)
            .field("client", self.client)
            .finish()
    }
}
