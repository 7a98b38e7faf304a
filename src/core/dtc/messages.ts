/**
 * The DTC message table: one declarative entry per message of the trading subset (PROTOCOL.md §8).
 * The binary layout, the JSON member names, the compact-JSON field order, the defaults, the unset
 * sentinels and the time units all derive from these entries; nothing else restates a layout.
 *
 * Field spec mini-language, one string per field, read like PROTOCOL.md §8:
 *   "<offset> <type> <Name> [=<default>|=unset] [<time unit>]"
 *   type: u8 i8 u16 i16 u32 i32 i64 u64 f32 f64 enum (= i32) cN (char[N], NUL padded)
 *   =unset: the field's unset sentinel (type max) is its default, so a missing field reads as null
 *   time unit: s (seconds), ms, us (microseconds), dsec (double seconds with fraction)
 */
import { MessageType } from './messageTypes';

export type FieldType = 'u8' | 'i8' | 'u16' | 'i16' | 'u32' | 'i32' | 'i64' | 'u64' | 'f32' | 'f64' | 'str';
export type TimeUnit = 's' | 'ms' | 'us' | 'dsec';

export interface FieldDef {
  name: string;
  type: FieldType;
  offset: number;
  /** Bytes on the wire (N for char[N]). */
  size: number;
  /** Value when the field is absent: a number, a string, or null (= unset sentinel). */
  default: number | string | null;
  time?: TimeUnit;
}

export interface MessageDef {
  type: MessageType;
  name: string;
  /** Total binary size including the 4-byte header, as in the compiled header. */
  size: number;
  fields: FieldDef[];
  /** Sent as `{"Type":n,"F":[...]}` in compact JSON (high-frequency types, §2.4). */
  compactArray: boolean;
}

const TYPE_SIZES: Record<Exclude<FieldType, 'str'>, number> = { u8: 1, i8: 1, u16: 2, i16: 2, u32: 4, i32: 4, i64: 8, u64: 8, f32: 4, f64: 8 };

/** The "unset" value of each numeric type (PROTOCOL.md §7); decoded as null. */
export const SENTINELS: Partial<Record<FieldType, number>> = {
  f64: Number.MAX_VALUE,
  f32: 3.4028234663852886e38,
  u32: 0xffffffff,
  i32: 0x7fffffff,
  i64: 9223372036854775807,
};

export function fieldAlignment(f: FieldDef): number {
  return f.type === 'str' ? 1 : f.size;
}

function parseField(spec: string, msg: string): FieldDef {
  const parts = spec.trim().split(/\s+/);
  const [off, rawType, name, ...rest] = parts;
  const offset = Number(off);
  if (!Number.isInteger(offset) || !name) throw new Error(`bad field spec '${spec}' in ${msg}`);
  let type: FieldType;
  let size: number;
  const str = /^c(\d+)$/.exec(rawType);
  if (str) {
    type = 'str';
    size = Number(str[1]);
  } else {
    const t = rawType === 'enum' ? 'i32' : rawType;
    if (!(t in TYPE_SIZES)) throw new Error(`unknown field type '${rawType}' in ${msg}.${name}`);
    type = t as FieldType;
    size = TYPE_SIZES[t as keyof typeof TYPE_SIZES];
  }
  let def: number | string | null = type === 'str' ? '' : 0;
  let time: TimeUnit | undefined;
  for (const r of rest) {
    if (r === '=unset') def = null;
    else if (r.startsWith('=')) def = type === 'str' ? r.slice(1) : Number(r.slice(1));
    else if (r === 's' || r === 'ms' || r === 'us' || r === 'dsec') time = r;
    else throw new Error(`bad field option '${r}' in ${msg}.${name}`);
  }
  return { name, type, offset, size, default: def, ...(time ? { time } : {}) };
}

function def(type: MessageType, size: number, fields: string[], compactArray = false): MessageDef {
  const name = MessageType[type];
  return { type, name, size, fields: fields.map((f) => parseField(f, name)), compactArray };
}

const REJECT = ['4 i32 RequestID', '8 c96 RejectText'];
const POSITIONS_OR_BALANCE_REQUEST = ['4 i32 RequestID', '8 c32 TradeAccount'];
const ENCODING = ['4 i32 ProtocolVersion =8', '8 enum Encoding', '12 c4 ProtocolType =DTC'];

export const MESSAGE_DEFS: readonly MessageDef[] = [
  def(MessageType.ENCODING_REQUEST, 16, ENCODING),
  def(MessageType.ENCODING_RESPONSE, 16, ENCODING),
  def(MessageType.LOGON_REQUEST, 284, [
    '4 i32 ProtocolVersion =8', '8 c32 Username', '40 c32 Password', '72 c64 GeneralTextData', '136 i32 Integer_1',
    '140 i32 Integer_2', '144 i32 HeartbeatIntervalInSeconds', '148 i32 Unused1', '152 c32 TradeAccount',
    '184 c64 HardwareIdentifier', '248 c32 ClientName', '280 i32 MarketDataTransmissionInterval',
  ]),
  def(MessageType.LOGON_RESPONSE, 256, [
    '4 i32 ProtocolVersion =8', '8 enum Result =1', '12 c96 ResultText', '108 c64 ReconnectAddress', '172 i32 Integer_1',
    '176 c60 ServerName', '236 u8 MarketDepthUpdatesBestBidAndAsk', '237 u8 TradingIsSupported', '238 u8 OCOOrdersSupported',
    '239 u8 OrderCancelReplaceSupported =1', '240 c4 SymbolExchangeDelimiter', '244 u8 SecurityDefinitionsSupported',
    '245 u8 HistoricalPriceDataSupported', '246 u8 ResubscribeWhenMarketDataFeedAvailable', '247 u8 MarketDepthIsSupported =1',
    '248 u8 OneHistoricalPriceDataRequestPerConnection', '249 u8 BracketOrdersSupported', '250 u8 Unused_1',
    '251 u8 UsesMultiplePositionsPerSymbolAndTradeAccount', '252 u8 MarketDataSupported =1',
  ]),
  def(MessageType.HEARTBEAT, 16, ['4 u32 NumDroppedMessages', '8 i64 CurrentDateTime s'], true),
  def(MessageType.LOGOFF, 102, ['4 c96 Reason', '100 u8 DoNotReconnect']),
  def(MessageType.TRADE_ACCOUNTS_REQUEST, 8, ['4 i32 RequestID']),
  def(MessageType.TRADE_ACCOUNT_RESPONSE, 52, [
    '4 i32 TotalNumberMessages', '8 i32 MessageNumber', '12 c32 TradeAccount', '44 i32 RequestID', '48 i32 TradingIsDisabled',
  ]),
  def(MessageType.OPEN_ORDERS_REQUEST, 76, ['4 i32 RequestID', '8 i32 RequestAllOrders =1', '12 c32 ServerOrderID', '44 c32 TradeAccount']),
  def(MessageType.ORDER_UPDATE, 720, [
    '4 i32 RequestID', '8 i32 TotalNumMessages', '12 i32 MessageNumber', '16 c64 Symbol', '80 c16 Exchange',
    '96 c32 PreviousServerOrderID', '128 c32 ServerOrderID', '160 c32 ClientOrderID', '192 c32 ExchangeOrderID',
    '224 enum OrderStatus', '228 enum OrderUpdateReason', '232 enum OrderType', '236 enum BuySell', '240 f64 Price1 =unset',
    '248 f64 Price2 =unset', '256 enum TimeInForce', '264 i64 GoodTillDateTime s', '272 f64 OrderQuantity =unset',
    '280 f64 FilledQuantity =unset', '288 f64 RemainingQuantity =unset', '296 f64 AverageFillPrice =unset',
    '304 f64 LastFillPrice =unset', '312 i64 LastFillDateTime ms', '320 f64 LastFillQuantity =unset',
    '328 c64 LastFillExecutionID', '392 c32 TradeAccount', '424 c96 InfoText', '520 u8 NoOrders', '521 c32 ParentServerOrderID',
    '553 c32 OCOLinkedOrderServerOrderID', '588 enum OpenOrClose', '592 c32 PreviousClientOrderID', '624 c48 FreeFormText',
    '672 i64 OrderReceivedDateTime s', '680 f64 LatestTransactionDateTime dsec', '688 c32 Username',
  ]),
  def(MessageType.OPEN_ORDERS_REJECT, 104, REJECT),
  def(MessageType.HISTORICAL_ORDER_FILLS_REQUEST, 88, [
    '4 i32 RequestID', '8 c32 ServerOrderID', '40 i32 NumberOfDays', '44 c32 TradeAccount', '80 i64 StartDateTime s',
  ]),
  def(MessageType.HISTORICAL_ORDER_FILL_RESPONSE, 480, [
    '4 i32 RequestID', '8 i32 TotalNumberMessages', '12 i32 MessageNumber', '16 c64 Symbol', '80 c16 Exchange',
    '96 c32 ServerOrderID', '128 enum BuySell', '136 f64 Price', '144 i64 DateTime s', '152 f64 Quantity',
    '160 c64 UniqueExecutionID', '224 c32 TradeAccount', '256 enum OpenClose', '260 u8 NoOrderFills', '261 c96 InfoText',
    '360 f64 HighPriceDuringPosition', '368 f64 LowPriceDuringPosition', '376 f64 PositionQuantity =unset',
    '384 c32 Username', '416 c32 ExchangeOrderID', '448 c32 SenderSubID',
  ]),
  def(MessageType.HISTORICAL_ORDER_FILLS_REJECT, 104, REJECT),
  def(MessageType.CURRENT_POSITIONS_REQUEST, 40, POSITIONS_OR_BALANCE_REQUEST),
  def(MessageType.POSITION_UPDATE, 240, [
    '4 i32 RequestID', '8 i32 TotalNumberMessages', '12 i32 MessageNumber', '16 c64 Symbol', '80 c16 Exchange',
    '96 f64 Quantity', '104 f64 AveragePrice', '112 c32 PositionIdentifier', '144 c32 TradeAccount', '176 u8 NoPositions',
    '177 u8 Unsolicited', '184 f64 MarginRequirement', '192 u32 EntryDateTime s', '200 f64 OpenProfitLoss',
    '208 f64 HighPriceDuringPosition', '216 f64 LowPriceDuringPosition', '224 f64 QuantityLimit',
    '232 f64 MaxPotentialPostionQuantity',
  ]),
  def(MessageType.CURRENT_POSITIONS_REJECT, 104, REJECT),
  def(MessageType.ACCOUNT_BALANCE_REQUEST, 40, POSITIONS_OR_BALANCE_REQUEST),
  def(MessageType.ACCOUNT_BALANCE_UPDATE, 416, [
    '4 i32 RequestID', '8 f64 CashBalance', '16 f64 BalanceAvailableForNewPositions', '24 c8 AccountCurrency',
    '32 c32 TradeAccount', '64 f64 SecuritiesValue', '72 f64 MarginRequirement', '80 i32 TotalNumberMessages',
    '84 i32 MessageNumber', '88 u8 NoAccountBalances', '89 u8 Unsolicited', '96 f64 OpenPositionsProfitLoss',
    '104 f64 DailyProfitLoss', '112 c96 InfoText', '208 u64 TransactionIdentifier', '216 f64 DailyNetLossLimit',
    '224 f64 TrailingAccountValueToLimitPositions', '232 u8 DailyNetLossLimitReached', '233 u8 IsUnderRequiredMargin',
    '234 u8 ClosePositionsAtEndOfDay', '235 u8 TradingIsDisabled', '236 c96 Description', '332 u8 IsUnderRequiredAccountValue',
    '336 i64 TransactionDateTime us', '344 f64 MarginRequirementFull', '352 f64 MarginRequirementFullPositionsOnly',
    '360 f64 PeakMarginRequirement', '368 c32 IntroducingBroker', '400 f64 OpenPositionsProfitLossBasedOnSettlementPrice',
    '408 i64 LastOrderActivityDateTime us',
  ]),
  def(MessageType.ACCOUNT_BALANCE_REJECT, 104, REJECT),
  def(MessageType.SUBMIT_NEW_SINGLE_ORDER, 304, [
    '4 c64 Symbol', '68 c16 Exchange', '84 c32 TradeAccount', '116 c32 ClientOrderID', '148 enum OrderType', '152 enum BuySell',
    '160 f64 Price1', '168 f64 Price2', '176 f64 Quantity', '184 enum TimeInForce', '192 i64 GoodTillDateTime s',
    '200 u8 IsAutomatedOrder', '201 u8 IsParentOrder', '202 c48 FreeFormText', '252 enum OpenOrClose',
    '256 f64 MaxShowQuantity', '264 c16 Price1AsString', '280 c16 Price2AsString', '296 f64 IntendedPositionQuantity',
  ]),
  def(MessageType.CANCEL_ORDER, 100, ['4 c32 ServerOrderID', '36 c32 ClientOrderID', '68 c32 TradeAccount']),
  def(MessageType.SECURITY_DEFINITION_FOR_SYMBOL_REQUEST, 88, ['4 i32 RequestID', '8 c64 Symbol', '72 c16 Exchange']),
  def(MessageType.SECURITY_DEFINITION_RESPONSE, 432, [
    '4 i32 RequestID', '8 c64 Symbol', '72 c16 Exchange', '88 enum SecurityType', '92 c64 Description',
    '156 f32 MinPriceIncrement', '160 enum PriceDisplayFormat =-1', '164 f32 CurrencyValuePerIncrement', '168 u8 IsFinalMessage',
    '172 f32 FloatToIntPriceMultiplier =1', '176 f32 IntToFloatPriceDivisor =1', '180 c32 UnderlyingSymbol',
    '212 u8 UpdatesBidAskOnly', '216 f32 StrikePrice', '220 u8 PutOrCall', '224 u32 ShortInterest',
    '228 u32 SecurityExpirationDate s', '232 f32 BuyRolloverInterest', '236 f32 SellRolloverInterest',
    '240 f32 EarningsPerShare', '244 u32 SharesOutstanding', '248 f32 IntToFloatQuantityDivisor',
    '252 u8 HasMarketDepthData =1', '256 f32 DisplayPriceMultiplier =1', '260 c64 ExchangeSymbol',
    '324 f32 InitialMarginRequirement', '328 f32 MaintenanceMarginRequirement', '332 c8 Currency', '340 f32 ContractSize',
    '344 u32 OpenInterest', '348 u32 RolloverDate s', '352 u8 IsDelayed', '360 i64 SecurityIdentifier',
    '368 c64 ProductIdentifier',
  ]),
  def(MessageType.SECURITY_DEFINITION_REJECT, 104, REJECT),
  def(MessageType.MARKET_DATA_REQUEST, 96, [
    '4 enum RequestAction =1', '8 u32 SymbolID', '12 c64 Symbol', '76 c16 Exchange', '92 u32 IntervalForSnapshotUpdatesInMilliseconds',
  ]),
  def(MessageType.MARKET_DATA_SNAPSHOT, 144, [
    '4 u32 SymbolID', '8 f64 SessionSettlementPrice =unset', '16 f64 SessionOpenPrice =unset', '24 f64 SessionHighPrice =unset',
    '32 f64 SessionLowPrice =unset', '40 f64 SessionVolume =unset', '48 u32 SessionNumTrades =unset', '52 u32 OpenInterest =unset',
    '56 f64 BidPrice =unset', '64 f64 AskPrice =unset', '72 f64 AskQuantity =unset', '80 f64 BidQuantity =unset',
    '88 f64 LastTradePrice =unset', '96 f64 LastTradeVolume =unset', '104 f64 LastTradeDateTime dsec',
    '112 f64 BidAskDateTime dsec', '120 u32 SessionSettlementDateTime s', '124 u32 TradingSessionDate s',
    '128 i8 TradingStatus', '136 f64 MarketDepthUpdateDateTime dsec',
  ], true),
  def(MessageType.MARKET_DATA_UPDATE_TRADE, 40, ['4 u32 SymbolID', '8 u16 AtBidOrAsk', '16 f64 Price', '24 f64 Volume', '32 f64 DateTime dsec'], true),
  def(MessageType.MARKET_DATA_UPDATE_BID_ASK, 40, [
    '4 u32 SymbolID', '8 f64 BidPrice =unset', '16 f32 BidQuantity', '24 f64 AskPrice =unset', '32 f32 AskQuantity', '36 u32 DateTime s',
  ], true),
  def(MessageType.MARKET_DATA_UPDATE_TRADE_COMPACT, 24, ['4 f32 Price', '8 f32 Volume', '12 u32 DateTime s', '16 u32 SymbolID', '20 u16 AtBidOrAsk'], true),
  def(MessageType.MARKET_DATA_UPDATE_BID_ASK_COMPACT, 28, [
    '4 f32 BidPrice =unset', '8 f32 BidQuantity', '12 f32 AskPrice =unset', '16 f32 AskQuantity', '20 u32 DateTime s', '24 u32 SymbolID',
  ], true),
  def(MessageType.TRADING_SYMBOL_STATUS, 12, ['4 u32 SymbolID', '8 i8 Status']),
  def(MessageType.MARKET_DATA_FEED_STATUS, 8, ['4 enum Status']),
  def(MessageType.USER_MESSAGE, 262, ['4 c256 UserMessage', '260 u8 IsPopupMessage =1']),
  def(MessageType.GENERAL_LOG_MESSAGE, 132, ['4 c128 MessageText']),
  def(MessageType.ALERT_MESSAGE, 164, ['4 c128 MessageText', '132 c32 TradeAccount']),
];

const BY_TYPE = new Map<number, MessageDef>(MESSAGE_DEFS.map((d) => [d.type, d]));
const BY_NAME = new Map<string, MessageDef>(MESSAGE_DEFS.map((d) => [d.name, d]));

/** The table entry for a message type number, or undefined for a type outside the subset. */
export function getMessageDef(type: number): MessageDef | undefined {
  return BY_TYPE.get(type);
}

export function getMessageDefByName(name: string): MessageDef | undefined {
  return BY_NAME.get(name);
}

/** Protocol name of a message type ("ORDER_UPDATE"), or "TYPE_<n>" when unknown. */
export function messageName(type: number): string {
  return BY_TYPE.get(type)?.name ?? MessageType[type] ?? `TYPE_${type}`;
}
