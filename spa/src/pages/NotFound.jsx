export default function NotFound() {
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title" tabIndex={-1}>Page not found</h1>
      <p>There is no page at this address. It may have moved, or the link may be mistyped.</p>
      <p>
        Go to <a href="#/profile">your profile</a> or <a href="#/login">log in</a>.
      </p>
    </section>
  );
}
