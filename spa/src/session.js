/**
 * Tabs of one browser agree on the session: a logout in one clears private data from every other at once (on a
 * shared computer the next person must not find the notes in another tab), and a sign-in lets signed-out tabs follow.
 * Only the kind of event travels, never a name or any other data.
 */
const CHANNEL = 'suite-session';
let channel = null;

function open() {
  if (!channel && typeof BroadcastChannel !== 'undefined') channel = new BroadcastChannel(CHANNEL);
  return channel;
}

/** 'signed-out' (this browser's session is gone) or 'signed-in'. */
export function tellOtherTabs(event) {
  open()?.postMessage({ event });
}

/** Calls listener(event) for what other tabs say; returns the unsubscribe function. */
export function listenToOtherTabs(listener) {
  const ch = open();
  if (!ch) return () => {};
  const onMessage = (message) => {
    const event = message.data?.event;
    if (event === 'signed-out' || event === 'signed-in') listener(event);
  };
  ch.addEventListener('message', onMessage);
  return () => ch.removeEventListener('message', onMessage);
}
