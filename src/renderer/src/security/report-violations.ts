/**
 * Reports every Content-Security-Policy violation to the main process, which records it in
 * the audit log. The policy itself blocks the request (a remote fetch, image, socket); this
 * makes the attempt visible. Installed once, before React renders.
 */
export function reportCspViolations(target: Pick<Document, 'addEventListener'> = document): void {
  target.addEventListener('securitypolicyviolation', (event) => {
    const e = event as SecurityPolicyViolationEvent;
    void window.api.system
      .reportBlocked({ url: (e.blockedURI || 'inline').slice(0, 2000), directive: e.effectiveDirective.slice(0, 200) })
      .catch(() => undefined);
  });
}
