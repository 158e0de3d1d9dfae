import { Button, CopyButton } from '@mantine/core';

/**
 * Copies `value` and says so on the button itself ("Copied"), where the partner is looking; the
 * live region repeats it for screen readers.
 */
export function CopyText({ value, label }: { value: string; label: string }) {
  return (
    <CopyButton value={value} timeout={2500}>
      {({ copied, copy }) => (
        <>
          <Button size="compact-md" variant={copied ? 'filled' : 'light'} color={copied ? 'teal' : undefined} onClick={copy} style={{ flexShrink: 0 }} aria-label={copied ? `Copied ${label}` : `Copy ${label}`}>
            {copied ? 'Copied' : 'Copy'}
          </Button>
          <span className="visually-hidden" role="status">
            {copied ? `${label} copied to the clipboard` : ''}
          </span>
        </>
      )}
    </CopyButton>
  );
}
