/** TEST ONLY: guard events as the WAN gate records them, for digest tests (the store's fixture). */
export { scannerEvent as digestEvent } from '../../store/test-kit.js';
