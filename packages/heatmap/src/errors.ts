/** The last date given to `heatmapMatrix` is no calendar date in the form `YYYY-MM-DD`. */
export class InvalidHeatmapDateError extends Error {
  override readonly name = 'InvalidHeatmapDateError';
  constructor(readonly text: string) {
    super(`not a date of the form YYYY-MM-DD: ${JSON.stringify(text)}`);
  }
}
