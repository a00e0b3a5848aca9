/**
 * ISO 8601 times with milliseconds for millions of rows: the text up to the second is made once per
 * second and reused (capture times mostly move forward slowly).
 */
export class IsoTimes {
  private second = NaN;
  private prefix = '';

  format(ms: number): string {
    const second = Math.floor(ms / 1000);
    if (second !== this.second) {
      const date = new Date(second * 1000);
      if (Number.isNaN(date.getTime())) return 'invalid';
      const text = date.toISOString();
      if (text.length !== 24) return new Date(ms).toISOString(); // years outside 0000-9999
      this.second = second;
      this.prefix = text.slice(0, 20);
    }
    const milli = Math.floor(ms - second * 1000);
    return `${this.prefix}${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`;
  }
}
