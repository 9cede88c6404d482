import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorNote } from '../ui/components.js';
import { errorText } from '../ui/format.js';

/** The reader (and its ~1 MB of wasm) loads on the first scan, not with the page. */
const readPackCode = async (image: ImageData | Blob) => (await import('./barcode-reader.js')).readPackCode(image);

/** How often a camera frame is decoded: fast enough to feel instant, light on a phone. */
const FRAME_MS = 250;

/**
 * Reads a pack's DataMatrix with the device camera (the back one on a phone), or from a photo;
 * hands the decoded string to `onCode` and stops the camera.
 */
export function Scanner(props: { onCode: (code: string) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream>();
  const [error, setError] = useState<string>();
  const [note, setNote] = useState<string>();

  const stop = () => {
    stream?.getTracks().forEach((t) => t.stop());
    setStream(undefined);
  };

  const start = async () => {
    setError(undefined);
    setNote(undefined);
    if (!navigator.mediaDevices?.getUserMedia) return setError('This browser offers no camera here (a camera needs https or localhost).');
    try {
      setStream(await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }));
    } catch (err) {
      setError(`The camera could not be opened: ${errorText(err)}`);
    }
  };

  useEffect(() => {
    const el = video.current;
    if (!stream || !el) return;
    el.srcObject = stream;
    void el.play().catch(() => undefined);
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    let busy = false;
    let done = false;
    const timer = setInterval(() => {
      if (busy || done || el.videoWidth === 0) return;
      busy = true;
      canvas.width = el.videoWidth;
      canvas.height = el.videoHeight;
      context.drawImage(el, 0, 0);
      readPackCode(context.getImageData(0, 0, canvas.width, canvas.height))
        .then((code) => {
          if (!code || done) return;
          done = true;
          stream.getTracks().forEach((t) => t.stop());
          setStream(undefined);
          props.onCode(code);
        })
        .catch((err: unknown) => setError(`The code could not be read: ${errorText(err)}`))
        .finally(() => (busy = false));
    }, FRAME_MS);
    return () => {
      done = true;
      clearInterval(timer);
    };
  }, [stream]);

  // Never leave the camera on when the page goes away.
  useEffect(() => () => stream?.getTracks().forEach((t) => t.stop()), [stream]);

  const readPhoto = async (file: File | undefined) => {
    if (!file) return;
    setError(undefined);
    setNote(undefined);
    try {
      const code = await readPackCode(file);
      if (code) props.onCode(code);
      else setNote('No DataMatrix found in that photo: try a sharper, closer one.');
    } catch (err) {
      setError(`The photo could not be read: ${errorText(err)}`);
    }
  };

  return (
    <div class="scanner">
      <div class="row">
        {stream ? (
          <button type="button" class="secondary" onClick={stop}>
            Stop camera
          </button>
        ) : (
          <button type="button" class="secondary" onClick={() => void start()}>
            Scan with camera
          </button>
        )}
        <label class="file">
          <span>Or read a photo of the code</span>
          <input
            type="file"
            accept="image/*"
            aria-label="photo of the code"
            onChange={(e) => void readPhoto((e.target as HTMLInputElement).files?.[0])}
          />
        </label>
      </div>
      {stream ? (
        <>
          <video ref={video} class="camera" muted playsInline aria-label="camera view" data-testid="camera" />
          <p class="hint" aria-live="polite">
            Hold the pack's DataMatrix in the frame.
          </p>
        </>
      ) : null}
      {note ? <p class="hint">{note}</p> : null}
      <ErrorNote error={error} />
    </div>
  );
}
